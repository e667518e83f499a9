// Shared test fixtures: one migrated database per test process (each test isolates itself by
// creating its own organizations), an app to call with Request objects, and a signed-in client.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHTML } from "linkedom";
import { type Database, openPglite, openPostgres } from "../db/client";
import { contacts, organizations, type Role, teamMembers, teams, users } from "../db/schema";
import { buildApp } from "../src/app";
import { loadConfig } from "../src/config";
import { hashPassword } from "../src/domain/auth/passwords";
import type { Actor, Ctx } from "../src/domain/context";
import { EventBus } from "../src/domain/events/bus";
import { FileStore } from "../src/domain/files/store";
import type { Deps } from "../src/routes/deps";

export const PASSWORD = "correct horse battery";
let databasePromise: Promise<Database> | undefined;

export function testDatabase(): Promise<Database> {
  databasePromise ??= (async () => {
    const url = process.env.DATABASE_URL;
    const database = url ? await openPostgres(url, { max: 10 }) : await openPglite();
    await database.migrate();
    return database;
  })();
  return databasePromise;
}

let passwordHash: Promise<string> | undefined;
let orgCounter = 0;

export interface Fixture {
  orgId: string;
  name: string;
  users: Record<Role, { id: string; email: string; name: string; role: Role; contactId: string | null }>;
  teamId: string;
  ctx(role: Role, now?: Date): Ctx;
}

/** A new organization with one user of every role, a team, and a customer contact. */
export async function createOrg(label = "Org"): Promise<Fixture> {
  const { db } = await testDatabase();
  passwordHash ??= hashPassword(PASSWORD);
  const hash = await passwordHash;
  const tag = `${label.toLowerCase().replace(/\W+/g, "")}${Date.now().toString(36)}${++orgCounter}`;
  const [org] = await db
    .insert(organizations)
    .values({ name: `${label} ${orgCounter}`, slug: tag, timeZone: "Asia/Kuala_Lumpur" })
    .returning();
  const [contact] = await db
    .insert(contacts)
    .values({ orgId: org.id, name: "Carol Customer", email: `customer@${tag}.test` })
    .returning();
  const roles: Role[] = ["admin", "supervisor", "agent", "dispatcher", "technician", "customer"];
  const rows = await db
    .insert(users)
    .values(
      roles.map((role) => ({
        orgId: org.id,
        email: `${role}@${tag}.test`,
        name: `${role[0].toUpperCase()}${role.slice(1)} ${label}`,
        role,
        passwordHash: hash,
        contactId: role === "customer" ? contact.id : null,
      })),
    )
    .returning();
  const [team] = await db.insert(teams).values({ orgId: org.id, name: "Support" }).returning();
  await db.insert(teamMembers).values({ orgId: org.id, teamId: team.id, userId: rows[2].id });
  const byRole = Object.fromEntries(rows.map((u) => [u.role, u])) as unknown as Fixture["users"];
  return {
    orgId: org.id,
    name: org.name,
    users: byRole,
    teamId: team.id,
    ctx(role, now = new Date()) {
      const u = byRole[role];
      const actor: Actor = {
        kind: "user",
        orgId: org.id,
        role,
        userId: u.id,
        contactId: u.contactId ?? undefined,
        name: u.name,
      };
      return { db, actor, now, files: testFiles() };
    },
  };
}

/** One scratch directory per test process, removed when the process ends. */
const scratch = mkdtempSync(join(tmpdir(), "fieldesk-test-"));
process.on("exit", () => rmSync(scratch, { recursive: true, force: true }));

let files: FileStore | undefined;
export function testFiles(): FileStore {
  // A 1 MB upload limit keeps the oversized-upload tests small.
  files ??= new FileStore(join(scratch, "files"), 1024 * 1024);
  return files;
}

let deps: Promise<Deps> | undefined;
export function testDeps(): Promise<Deps> {
  deps ??= (async () => {
    const database = await testDatabase();
    const bus = new EventBus();
    await bus.start(database);
    const config = {
      ...loadConfig({}),
      dataDir: mkdtempSync(join(tmpdir(), "data-")),
      maxUploadBytes: 1024 * 1024,
    };
    return { database, config, bus, files: testFiles(), clock: () => new Date() };
  })();
  return deps;
}

let app: Promise<ReturnType<typeof buildApp>> | undefined;
export function testApp() {
  app ??= testDeps().then(buildApp);
  return app;
}

export function parse(html: string) {
  return parseHTML(html).document;
}

/** A browser without JavaScript: keeps cookies, sends the CSRF token with every form. */
export class Client {
  cookies = new Map<string, string>();
  lastStatus = 0;

  get csrf(): string {
    return this.cookies.get("csrf") ?? "";
  }

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const application = await testApp();
    const headers = new Headers(init.headers);
    headers.set("cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    const response = await application.handle(new Request(`http://localhost${path}`, { ...init, headers }));
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const [name, ...rest] = pair.split("=");
      const value = rest.join("=");
      if (/max-age=0|expires=Thu, 01 Jan 1970/i.test(line) || value === "") this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
    this.lastStatus = response.status;
    return response;
  }

  get(path: string, headers: Record<string, string> = {}) {
    return this.request(path, { headers });
  }

  /** Posts a form (urlencoded, or multipart when it holds files) with the CSRF token added. */
  async post(
    path: string,
    fields: Record<string, string | string[] | File | File[]> = {},
    options: { csrf?: string } = {},
  ) {
    if (!this.csrf) await this.get("/login");
    const hasFiles = Object.values(fields).some(
      (v) => v instanceof File || (Array.isArray(v) && v.some((x) => x instanceof File)),
    );
    const form = hasFiles ? new FormData() : new URLSearchParams();
    form.append("_csrf", options.csrf ?? this.csrf);
    for (const [key, value] of Object.entries(fields)) {
      for (const item of Array.isArray(value) ? value : [value]) {
        if (item instanceof File) (form as FormData).append(key, item);
        else form.append(key, item);
      }
    }
    return this.request(path, { method: "POST", body: form });
  }

  async page(path: string) {
    const response = await this.get(path);
    return { response, status: response.status, document: parse(await response.text()) };
  }

  async signIn(email: string, password = PASSWORD): Promise<this> {
    const response = await this.post("/login", { email, password });
    if (response.status !== 303) throw new Error(`sign-in of ${email} failed with ${response.status}`);
    return this;
  }
}

export async function signedIn(fixture: Fixture, role: Role): Promise<Client> {
  return new Client().signIn(fixture.users[role].email);
}
