// Whether a host name is this machine's loopback interface. No Node built-ins, so the parts of the
// engine that check endpoints also bundle for the browser language server.
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
