declare module 'drachtio-mw-digest-auth' {
  interface DigestOptions {
    realm: string | ((req: unknown) => string);
    passwordLookup: (username: string, realm: string, cb: (err: Error | null, password?: string | { ha1: string }) => void) => void;
    proxy?: boolean;
    qop?: string;
  }
  type Middleware = (req: unknown, res: unknown, next: () => void) => void;
  function digest(opts: DigestOptions): Middleware;
  export = digest;
}
