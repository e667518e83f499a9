// IMAP polling: each mailbox with an IMAP folder is read every minute. Messages above the last
// UID taken are received one by one, and the mark moves only after a message is stored, so a
// crash or a failure means the next poll picks up where this one stopped — nothing is skipped.
import { and, eq, isNotNull } from "drizzle-orm";
import { ImapFlow } from "imapflow";
import type { Db } from "../../../db/client";
import { mailboxes } from "../../../db/schema";
import type { DbOrTx } from "../events/log";
import type { FileStore } from "../files/store";
import { enqueue } from "../jobs/queue";
import { receiveEmail } from "./inbound";

export const POLL_ALL_QUEUE = "email.poll_imap_all";
export const POLL_QUEUE = "email.poll_imap";

/** Largest number of messages taken in one poll; the rest wait for the next. */
const BATCH = 200;

/** Queues one poll per mailbox that has an IMAP folder (the recurring job's work). */
export async function queueImapPolls(db: DbOrTx, now: Date): Promise<number> {
  const rows = await db
    .select({ id: mailboxes.id, orgId: mailboxes.orgId })
    .from(mailboxes)
    .where(isNotNull(mailboxes.imapUrl));
  const minute = now.toISOString().slice(0, 16);
  return enqueue(
    db,
    now,
    ...rows.map((m) => ({
      queue: POLL_QUEUE,
      orgId: m.orgId,
      payload: { mailboxId: m.id },
      // One poll per mailbox per minute, however many servers run the schedule.
      idempotencyKey: `${m.id}:${minute}`,
      maxAttempts: 1,
    })),
  );
}

export interface ImapSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  pass: string;
}

/** imaps://user:pass@host:993 → connection settings; throws a message fit for the admin form. */
export function parseImapUrl(url: string): ImapSettings {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error("Write the server as imaps://user:password@imap.example.com:993");
  }
  if (parsed.protocol !== "imap:" && parsed.protocol !== "imaps:")
    throw new Error("The IMAP address starts with imaps:// (or imap:// for a server without TLS).");
  if (!parsed.hostname) throw new Error("The IMAP address needs a host name.");
  if (!parsed.username) throw new Error("The IMAP address needs a user name (imaps://user:password@host).");
  const secure = parsed.protocol === "imaps:";
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : secure ? 993 : 143,
    secure,
    user: decodeURIComponent(parsed.username),
    pass: decodeURIComponent(parsed.password),
  };
}

export interface PollResult {
  received: number;
  lastUid: number;
}

/** Fetches the mailbox's new messages and receives each; records how far it got and any error. */
export async function pollMailbox(
  deps: { db: Db; files: FileStore },
  mailboxId: string,
  now: Date,
): Promise<PollResult> {
  const [mailbox] = await deps.db.select().from(mailboxes).where(eq(mailboxes.id, mailboxId));
  if (!mailbox?.imapUrl) return { received: 0, lastUid: 0 };
  const settings = parseImapUrl(mailbox.imapUrl);
  const client = new ImapFlow({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    auth: { user: settings.user, pass: settings.pass },
    logger: false,
    // Plain imap:// is an explicit choice for a local server: no opportunistic upgrade.
    doSTARTTLS: settings.secure ? undefined : false,
    socketTimeout: 60_000,
  });
  let lastUid = mailbox.imapLastUid;
  let received = 0;
  try {
    await client.connect();
    const lock = await client.getMailboxLock(mailbox.imapFolder);
    try {
      const folder = client.mailbox as { uidValidity?: bigint } | false;
      const validity = folder ? String(folder.uidValidity ?? "") : "";
      // A new UIDVALIDITY renumbers the folder: start again; Message-IDs keep what we had from coming twice.
      if (validity !== (mailbox.imapUidValidity ?? "")) lastUid = 0;
      const uids = ((await client.search({ uid: `${lastUid + 1}:*` }, { uid: true })) || [])
        .filter((uid) => uid > lastUid)
        .sort((a, b) => a - b)
        .slice(0, BATCH);
      for (const uid of uids) {
        const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
        // Stop rather than skip: the mark must never pass a message that was not stored.
        if (message === false || !message.source) throw new Error(`message UID ${uid} could not be fetched`);
        await receiveEmail(deps, message.source, { mailboxAddress: mailbox.address }, now);
        lastUid = uid;
        received++;
        await saveProgress(deps.db, mailbox.id, validity, lastUid, now);
        await client.messageFlagsAdd(String(uid), ["\\Seen"], { uid: true });
      }
      await saveProgress(deps.db, mailbox.id, validity, lastUid, now);
    } finally {
      lock.release();
    }
    await client.logout();
  } catch (error) {
    client.close();
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    await deps.db
      .update(mailboxes)
      .set({ imapCheckedAt: now, imapError: message })
      .where(and(eq(mailboxes.id, mailbox.id), eq(mailboxes.orgId, mailbox.orgId)));
    throw new Error(`IMAP poll of ${mailbox.address} failed: ${message}`);
  }
  return { received, lastUid };
}

async function saveProgress(db: Db, mailboxId: string, validity: string, lastUid: number, now: Date) {
  await db
    .update(mailboxes)
    .set({ imapUidValidity: validity, imapLastUid: lastUid, imapCheckedAt: now, imapError: null })
    .where(eq(mailboxes.id, mailboxId));
}
