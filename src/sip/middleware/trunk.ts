import { BlockList, isIP } from 'node:net';

/** A predicate over source addresses built from IPs and CIDR ranges. */
export function addressMatcher(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [addr, bits] = entry.split('/');
    const family = isIP(addr ?? '') === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr!, family);
    else list.addSubnet(addr!, Number(bits), family);
  }
  return (address: string) => {
    const family = isIP(address);
    if (!family) return false;
    const v4mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (v4mapped) return list.check(v4mapped[1]!, 'ipv4');
    return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}
