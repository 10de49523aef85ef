import t from 'tap';
import { generatePassword, hashPassword, verifyPassword } from '../../../src/auth/password.ts';

t.test('a password verifies against its own hash only', async (t) => {
  const hash = await hashPassword('correct horse battery staple');
  t.match(hash, /^scrypt\$16384\$8\$1\$[\w-]+\$[\w-]+$/);
  t.ok(await verifyPassword('correct horse battery staple', hash));
  t.notOk(await verifyPassword('correct horse battery stapl', hash));
  t.notOk(await verifyPassword('', hash));
});

t.test('the same password hashes differently each time (salted)', async (t) => {
  t.not(await hashPassword('same'), await hashPassword('same'));
});

t.test('a malformed stored hash never verifies', async (t) => {
  t.notOk(await verifyPassword('x', 'plain-text'));
  t.notOk(await verifyPassword('x', 'bcrypt$1$2$3$4$5'));
});

t.test('generated passwords are long and distinct', async (t) => {
  const a = generatePassword();
  t.equal(a.length, 20);
  t.not(a, generatePassword());
});
