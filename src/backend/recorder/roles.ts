// Recorder or viewer, and the switch between them. The recorder opens the database for writing and
// serves its snapshots on the live feed (viewer/feed.ts); a viewer follows that feed and checks the
// lock every second, taking over when the recorder is gone. A recorder that finds another process
// holding the lock steps down without writing again.
import type { Snapshot } from '../types';
import type { AlertChange } from '../alerts/types';
import type { BackendStatus, Params, Result } from '../protocol';
import { NewerSchemaError, Store } from '../storage/store';
import { FEED_VERSION, FeedClient, feedPathFor, FeedServer, removeStaleFeeds, type FeedPeer, type ForwardedMethod } from '../viewer/feed';
import { lockState } from './lockAccess';
import type { Scheduler } from './scheduler';
import type { RecorderState } from './state';
import type { WritePolicy } from './writePolicy';
import { errorText } from '../../shared/errors';

interface RolesDeps {
  scheduler: Scheduler;
  policy: WritePolicy;
  /** Answers what a viewer forwards to this process while it records. */
  serve: <M extends ForwardedMethod>(method: M, params: Params<M>, peer: FeedPeer) => Promise<Result<M>>;
  /** A viewer's connection closed. */
  peerGone: (peer: FeedPeer) => void;
  /** This viewer reached the recorder's feed (first time or again): send it what it must know. */
  connected: () => void;
  /** The status to announce after a role change. */
  status: () => BackendStatus;
}

export class Roles {
  private feedServer: FeedServer | undefined;
  private feedClient: FeedClient | undefined;
  private connecting = false;
  /** A role change in progress (it awaits the feed): the lock timer waits for it. */
  changingRole = false;

  constructor(
    private readonly state: RecorderState,
    private readonly deps: RolesDeps,
  ) {}

  /** Opens the database for writing and starts serving the live feed. The lock is ours (or could not be made). */
  async becomeRecorder(): Promise<void> {
    const s = this.state;
    try {
      s.store = Store.openWith(s.SQL, s.storeOptions());
    } catch (e) {
      if (!(e instanceof NewerSchemaError)) throw e;
      // Nobody can record into it: let go, so no window waits for this one.
      s.lock.release();
      s.role = 'stopped';
      s.refusal = e.message;
      s.sink.problem('newer-schema', e.message, 'error');
      return;
    }
    s.role = 'recorder';
    s.refusal = undefined;
    s.windowContexts.dropViewers();
    if (s.store.openReport.replayedRecords > 0)
      s.sink.log('info', `Replayed ${s.store.openReport.replayedRecords} intervals from the journal.`);
    this.deps.policy.reset(s.clock.now());
    const feedPath = feedPathFor(s.dbPath, s.lock.token);
    try {
      removeStaleFeeds(s.dbPath, feedPath);
      this.feedServer = await FeedServer.listen(feedPath, {
        request: (method, params, peer) => {
          if (s.role !== 'recorder') throw new Error('This process no longer records.');
          return this.deps.serve(method, params, peer);
        },
        peerGone: (peer) => this.deps.peerGone(peer),
        log: (level, message) => s.sink.log(level, message),
      });
      s.lock.setFeed({ path: feedPath, version: FEED_VERSION });
    } catch (e) {
      s.sink.log('warn', `Other windows will not see live data: the live feed ${feedPath} could not be served (${errorText(e)}).`);
    }
    this.deps.policy.dailyBackup(s.clock.now());
    this.deps.scheduler.resume();
  }

  becomeViewer(): void {
    const s = this.state;
    s.role = 'viewer';
    s.refusal = undefined;
    s.windowContexts.dropViewers();
    const owner = s.lock.owner();
    s.sink.log('info', `Viewing ${s.dbPath}, recorded by ${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}.`);
    void this.connectFeed();
  }

  /** Viewer → recorder, when the recorder is gone. */
  private async promote(): Promise<void> {
    const s = this.state;
    this.feedClient?.close();
    this.feedClient = undefined;
    s.store?.close();
    s.store = undefined;
    await this.becomeRecorder();
    if (s.role === 'recorder') s.sink.log('info', 'The window that recorded is gone: this one records now.');
    s.sink.status(this.deps.status());
  }

  /** Recorder → viewer, when another process holds the lock now. Writes nothing more. */
  private async demote(): Promise<void> {
    const s = this.state;
    this.deps.scheduler.stop();
    s.store?.close();
    s.store = undefined;
    const server = this.feedServer;
    this.feedServer = undefined;
    await server?.close();
    s.sink.log('warn', 'Another process took over recording (this one had stopped renewing its lock); this window views now.');
    this.becomeViewer();
    s.sink.status(this.deps.status());
  }

  /** A write found the lock taken by another process: step down (once, whatever else is running). */
  stepDown(): void {
    if (this.changingRole) return;
    this.changingRole = true;
    void this.demote().finally(() => (this.changingRole = false));
  }

  /** Every `lockPollMs`: the recorder renews its lock, a viewer looks for a stale one. */
  async onLockTimer(): Promise<void> {
    const s = this.state;
    if (s.closed || this.changingRole) return;
    this.changingRole = true;
    try {
      if (s.role === 'recorder') {
        if (s.lock.held) {
          if (!s.lock.refresh()) await this.demote();
        } else if (lockState(s.lock) === 'theirs') await this.demote();
      } else if (s.role === 'viewer') {
        let acquired = false;
        try {
          acquired = s.lock.tryAcquire();
        } catch (e) {
          s.sink.log('debug', `Lock check failed: ${errorText(e)}`);
        }
        if (acquired) await this.promote();
        else if (!this.feedClient) await this.connectFeed();
      }
    } catch (e) {
      s.sink.log('error', `Changing the recorder role failed: ${errorText(e)}`);
    } finally {
      this.changingRole = false;
    }
  }

  private async connectFeed(): Promise<void> {
    const s = this.state;
    if (this.connecting || this.feedClient || s.closed || s.role !== 'viewer') return;
    const feed = s.lock.owner()?.feed;
    if (!feed || feed.version !== FEED_VERSION) return;
    this.connecting = true;
    try {
      const client = await FeedClient.connect(feed.path, {
        snapshot: (snapshot) => {
          if (s.role !== 'viewer' || s.closed) return;
          s.latest = snapshot;
          s.sink.snapshot(snapshot);
        },
        status: () => undefined,
        alert: (change) => {
          if (s.role === 'viewer' && !s.closed) s.sink.alert?.(change);
        },
        closed: () => {
          if (this.feedClient === client) this.feedClient = undefined;
        },
      });
      if (s.closed || s.role !== 'viewer') client.close();
      else {
        this.feedClient = client;
        this.deps.connected();
      }
    } catch (e) {
      s.sink.log('debug', `Live feed ${feed.path} not reachable yet: ${errorText(e)}`);
    } finally {
      this.connecting = false;
    }
  }

  /** The recorder's snapshot to every viewer. */
  broadcast(snapshot: Snapshot): void {
    this.feedServer?.broadcast({ kind: 'event', event: 'snapshot', snapshot });
  }

  /** An alert change of the recorder's to every viewer. */
  broadcastAlert(change: AlertChange): void {
    this.feedServer?.broadcast({ kind: 'event', event: 'alert', ...change });
  }

  /** What a viewer cannot do itself goes to the recorder over its feed. */
  forward<M extends ForwardedMethod>(method: M, params: Params<M>): Promise<Result<M>> {
    if (!this.feedClient) {
      const owner = this.state.lock.owner();
      return Promise.reject(
        new Error(
          `The window that records (${owner ? `pid ${owner.pid} on ${owner.host}` : 'another process'}) cannot be reached right now; try again in a moment.`,
        ),
      );
    }
    return this.feedClient.request(method, params);
  }

  /** Whether the recorder can be asked (a viewer connected to its feed). */
  get connected(): boolean {
    return this.feedClient !== undefined;
  }

  async close(): Promise<void> {
    this.feedClient?.close();
    this.feedClient = undefined;
    await this.feedServer?.close();
    this.feedServer = undefined;
  }
}
