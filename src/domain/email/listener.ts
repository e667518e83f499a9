// The built-in SMTP listener for incoming mail (INBOUND_SMTP_PORT). A recipient no mailbox
// answers to is refused at RCPT TO; a message is accepted only once it is stored, and a failure
// while storing answers "try again later" (451), so the sending server keeps it and retries.
import { SMTPServer } from "smtp-server";
import type { Db } from "../../../db/client";
import type { FileStore } from "../files/store";
import { mailboxForAddress, receiveEmail } from "./inbound";

export interface InboundSmtpOptions {
  port: number;
  host?: string;
  db: Db;
  files: FileStore;
  clock?: () => Date;
  /** Largest message accepted, in bytes. */
  maxBytes?: number;
  log?: (message: string) => void;
}

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

export async function startInboundSmtp(options: InboundSmtpOptions): Promise<InboundSmtp> {
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? ((message: string) => console.error(message));
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  const server = new SMTPServer({
    authOptional: true,
    // Plain SMTP on a private port behind the organization's MX relay; TLS belongs to that relay.
    disabledCommands: ["STARTTLS", "AUTH"],
    size: maxBytes,
    logger: false,
    banner: "Fieldesk inbound mail",
    onRcptTo(address, _session, callback) {
      mailboxForAddress(options.db, address.address).then(
        (mailbox) => callback(mailbox ? undefined : smtpError(550, `No mailbox here for ${address.address}`)),
        (error) => {
          log(`inbound smtp: recipient check failed: ${error instanceof Error ? error.message : error}`);
          callback(smtpError(451, "Temporary failure, try again later"));
        },
      );
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          return callback(smtpError(552, `Message larger than ${Math.round(maxBytes / 1048576)} MB`));
        }
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        receiveEmail(
          { db: options.db, files: options.files },
          Buffer.concat(chunks),
          { recipients },
          clock(),
        ).then(
          () => callback(),
          (error) => {
            log(`inbound smtp: could not store a message: ${error instanceof Error ? error.message : error}`);
            callback(smtpError(451, "Temporary failure, try again later"));
          },
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "0.0.0.0", () => resolve());
  });
  const port = (server.server.address() as { port: number }).port;
  return { port, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
