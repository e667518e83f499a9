// npm run bench:inbound [-- --messages 3000 --concurrency 8]
//
// Incoming mail throughput on a real Postgres (BENCH_DATABASE_URL, default
// postgres://root@127.0.0.1:5432/bench): generates a corpus — new requests (a quarter with a
// 20 kB attachment), replies naming an earlier message in In-Reply-To, and auto-replies — and
// receives it with `concurrency` messages in flight: each parsed, threaded and stored with its
// original. Prints messages/s, the outcomes, and whether every reply reached its ticket.
// Figures only; nothing is asserted.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { and, count, eq } from "drizzle-orm";
import postgres from "postgres";
import { openPostgres } from "../db/client";
import { inboundEmails, mailboxes, organizations } from "../db/schema";
import { receiveEmail } from "../src/domain/email/inbound";
import { FileStore } from "../src/domain/files/store";

const { values: args } = parseArgs({
  options: {
    messages: { type: "string", default: "3000" },
    concurrency: { type: "string", default: "8" },
  },
});
const total = Number(args.messages);
const concurrency = Number(args.concurrency);
const databaseUrl = process.env.BENCH_DATABASE_URL ?? "postgres://root@127.0.0.1:5432/bench";

const name = new URL(databaseUrl).pathname.slice(1);
const admin = postgres(databaseUrl.replace(/\/[^/]*$/, "/postgres"), { max: 1, onnotice: () => {} });
const [exists] = await admin`select 1 as ok from pg_database where datname = ${name}`;
if (!exists) await admin.unsafe(`create database "${name}"`);
await admin.end();

const database = await openPostgres(databaseUrl, { max: concurrency + 2 });
await database.migrate();
const db = database.db;
const tag = `inbound${Date.now().toString(36)}`;
const [org] = await db.insert(organizations).values({ name: "Inbound bench", slug: tag }).returning();
const support = `support@${tag}.bench`;
await db
  .insert(mailboxes)
  .values({ orgId: org.id, name: "Support", address: support, isDefault: true, createdAt: new Date() });
const files = new FileStore(mkdtempSync(join(tmpdir(), "inbound-bench-")), 25 * 1024 * 1024);

type Kind = "new" | "reply" | "auto";
interface Message {
  kind: Kind;
  raw: Uint8Array;
  /** For replies: the index of the message they answer. */
  answers?: number;
}

const attachment = Buffer.alloc(20 * 1024, 7)
  .toString("base64")
  .replace(/.{76}/g, "$&\r\n");
const idOf = (i: number) => `<m${i}.${tag}@customer.bench>`;

function compose(i: number, kind: Kind, answers?: number): Uint8Array {
  const from = `customer${i % 400}@client${i % 37}.bench`;
  const head = [
    `From: Customer ${i % 400} <${from}>`,
    `To: ${support}`,
    `Message-ID: ${idOf(i)}`,
    `Date: ${new Date().toUTCString()}`,
    kind === "reply"
      ? `Subject: Re: Request ${answers}`
      : `Subject: Request ${i}: the unit on floor ${i % 9} stopped`,
    ...(kind === "reply"
      ? [`In-Reply-To: ${idOf(answers as number)}`, `References: ${idOf(answers as number)}`]
      : []),
    ...(kind === "auto" ? ["Auto-Submitted: auto-replied"] : []),
  ];
  const text = `Hello,\r\n\r\nMessage ${i}. The unit makes a grinding noise and then stops. We tried restarting it twice.\r\n\r\nRegards\r\n`;
  if (kind !== "new" || i % 4 !== 0) {
    return new TextEncoder().encode(
      `${head.join("\r\n")}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${text}`,
    );
  }
  const body = [
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    text,
    "--b",
    'Content-Type: application/octet-stream; name="log.bin"',
    'Content-Disposition: attachment; filename="log.bin"',
    "Content-Transfer-Encoding: base64",
    "",
    attachment,
    "--b--",
    "",
  ].join("\r\n");
  return new TextEncoder().encode(
    `${head.join("\r\n")}\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n${body}`,
  );
}

// Replies answer a new request at least 50 messages earlier, so it is stored before they arrive.
const corpus: Message[] = [];
const requests: number[] = [];
for (let i = 0; i < total; i++) {
  const roll = (i * 7919) % 10;
  const kind: Kind = roll < 6 || requests.length < 60 ? "new" : roll < 9 ? "reply" : "auto";
  const answers = kind === "reply" ? requests[(i * 31) % (requests.length - 50)] : undefined;
  corpus.push({ kind, raw: compose(i, kind, answers), answers });
  if (kind === "new") requests.push(i);
}
const bytes = corpus.reduce((sum, m) => sum + m.raw.length, 0);

const started = performance.now();
let next = 0;
const ticketOf = new Map<number, string | null | undefined>();
const results = new Map<number, string>();
async function worker() {
  while (next < corpus.length) {
    const i = next++;
    const result = await receiveEmail({ db, files }, corpus[i].raw, { recipients: [support] }, new Date());
    results.set(i, result.outcome);
    ticketOf.set(i, result.ticketId);
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;

const outcomes: Record<string, number> = {};
for (const outcome of results.values()) outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
const replies = corpus.map((m, i) => ({ m, i })).filter(({ m }) => m.kind === "reply");
const rightTicket = replies.filter(
  ({ m, i }) => ticketOf.get(i) && ticketOf.get(i) === ticketOf.get(m.answers as number),
);
const [{ stored }] = await db
  .select({ stored: count() })
  .from(inboundEmails)
  .where(and(eq(inboundEmails.orgId, org.id)));

console.log(
  `corpus: ${total.toLocaleString("en")} messages, ${(bytes / 1048576).toFixed(1)} MB ` +
    `(${corpus.filter((m) => m.kind === "new").length} new, ${replies.length} replies, ${corpus.filter((m) => m.kind === "auto").length} auto-replies; a quarter of new ones with a 20 kB attachment)`,
);
console.log(
  `received ${total.toLocaleString("en")} in ${seconds.toFixed(2)} s with ${concurrency} in flight: ${Math.round(total / seconds).toLocaleString("en")} messages/s`,
);
console.log(
  `outcomes: ${JSON.stringify(outcomes)}; logged ${stored}; replies on their request's ticket: ${rightTicket.length}/${replies.length}`,
);
await db.delete(organizations).where(eq(organizations.id, org.id));
await database.close();
