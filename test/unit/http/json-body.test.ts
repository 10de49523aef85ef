import t from 'tap';
import { locateJsonError } from '../../../src/http/json-body.ts';

t.test('valid JSON has no error', async (t) => {
  for (const text of ['{}', ' [1, -2.5e3, "a\\u00e9\\n", true, false, null] ', '{"a": {"b": []}}', '"x"', '0']) {
    t.equal(locateJsonError(text), undefined, text);
    t.doesNotThrow(() => JSON.parse(text), 'and JSON.parse agrees');
  }
});

t.test('the first fault is found with its line and column', async (t) => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['trailing comma in an object', '{"a": 1,}', 1, 9, /trailing comma/],
    ['trailing comma in a list', '[1,\n 2,\n]', 3, 1, /trailing comma/],
    ['missing comma between properties', '{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}" but found "\\""/],
    ['unquoted property name', '{a: 1}', 1, 2, /property name in double quotes/],
    ['single quotes', "{'a': 1}", 1, 2, /double quotes/],
    ['missing colon', '{"a" 1}', 1, 6, /expected ":"/],
    ['a value that is not one', '{"a": nope}', 1, 7, /expected a value .* but found "nope"/],
    ['missing value', '{"a": }', 1, 7, /expected a value but found "}"/],
    ['unclosed string', '{"a": "b', 1, 9, /string is not closed/],
    ['unclosed object', '{"a": 1', 1, 8, /the end of the body/],
    ['raw newline in a string', '{"a": "b\nc"}', 1, 9, /control character/],
    ['bad escape', '["\\q"]', 1, 3, /^"\\q" is not a JSON escape$/],
    ['short unicode escape', '["\\u12"]', 1, 7, /four hexadecimal digits/],
    ['leading zero', '[01]', 1, 3, /expected "," or "]"/],
    ['text after the value', '{} {}', 1, 4, /after the JSON value/],
    ['column counts characters on the faulty line only', '{\n  "name": "Олена",\n  "x": ]\n}', 3, 8, /expected a value/],
  ];
  for (const [name, text, line, column, reason] of cases) {
    t.throws(() => JSON.parse(text), `${name}: JSON.parse refuses it too`);
    const e = locateJsonError(text);
    t.match(e, { line, column, reason }, name);
  }
});
