/** A real peer behind a quirk proxy, both stopped by `stopAll` (call it from the suite's `after`). */
import { startPeer, type PeerKind, type RunningPeer } from './peers';
import { startQuirkProxy, type QuirkProxy, type Quirks } from './quirkProxy';

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
