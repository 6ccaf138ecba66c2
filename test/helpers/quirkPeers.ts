/**
 * A real server (a peer, or our sandbox) behind a quirk proxy; `stopAll` / `stopSandboxes` stop
 * them (call them from the suite's `after`).
 */
import { startPeer, type PeerKind, type RunningPeer } from './peers';
import { startQuirkProxy, type QuirkProxy, type Quirks } from './quirkProxy';
import { withSandbox, type TestSandbox } from './sandbox';

const running: { peer: RunningPeer; proxy: QuirkProxy }[] = [];

export async function peerBehind(kind: PeerKind, quirks: Quirks): Promise<{ peer: RunningPeer; proxy: QuirkProxy }> {
  // Express's automatic ETag (a body hash unrelated to meta.version) is off: the ETag quirks are the proxy's.
  const peer = await startPeer(kind, kind === 'scimmy' ? { env: { NO_EXPRESS_ETAG: '1' } } : {});
  const proxy = await startQuirkProxy(peer.baseUrl, quirks);
  running.push({ peer, proxy });
  return { peer, proxy };
}

export async function stopAll(): Promise<void> {
  for (const r of running.splice(0)) {
    await r.proxy.close();
    await r.peer.stop();
  }
}

/** Our sandbox (in-process, temporary data folder) behind a quirk proxy. */
export async function sandboxBehind(quirks: Quirks): Promise<{ sandbox: TestSandbox; proxy: QuirkProxy }> {
  const sandbox = await withSandbox();
  const proxy = await startQuirkProxy(sandbox.baseUrl, quirks);
  sandboxes.push({ sandbox, proxy });
  return { sandbox, proxy };
}

const sandboxes: { sandbox: TestSandbox; proxy: QuirkProxy }[] = [];

export async function stopSandboxes(): Promise<void> {
  for (const r of sandboxes.splice(0)) {
    await r.proxy.close();
    await r.sandbox.dispose();
  }
}
