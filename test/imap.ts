// A real IMAP server on a free local port for the polling tests (hoodiecrow: in memory, one user
// "testuser" / "testpass", messages appended over IMAP like a mail server would deliver them).
import { createRequire } from "node:module";
import { ImapFlow } from "imapflow";

interface Hoodiecrow {
  listen(port: number, host: string, done: () => void): void;
  close(done?: () => void): void;
  server: { address(): { port: number } };
}
type HoodiecrowFactory = (options: Record<string, unknown>) => Hoodiecrow;
const hoodiecrow = createRequire(import.meta.url)("hoodiecrow-imap") as HoodiecrowFactory;

export interface TestImap {
  url: string;
  port: number;
  /** Delivers a message into INBOX, as the mail server would. */
  deliver(raw: string): Promise<void>;
  close(): Promise<void>;
}

export async function startTestImap(): Promise<TestImap> {
  const server = hoodiecrow({
    plugins: ["IDLE", "UIDPLUS", "LITERALPLUS"],
    storage: { INBOX: { messages: [] } },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = server.server.address().port;
  return {
    url: `imap://testuser:testpass@127.0.0.1:${port}`,
    port,
    async deliver(raw) {
      const client = new ImapFlow({
        host: "127.0.0.1",
        port,
        secure: false,
        doSTARTTLS: false,
        auth: { user: "testuser", pass: "testpass" },
        logger: false,
      });
      await client.connect();
      await client.append("INBOX", raw);
      await client.logout();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
