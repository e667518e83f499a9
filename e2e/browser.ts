// Chromium for the browser journeys: the system one when installed, else @sparticuz/chromium's.
// Everything that would reach the internet is switched off; the machine may have none.
import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";
import { PASSWORD } from "./fixtures";

const OFFLINE_ARGS = [
  "--headless",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
];

export async function launchBrowser(): Promise<Browser> {
  let executablePath = "/usr/bin/chromium";
  const args = [...OFFLINE_ARGS];
  if (!existsSync(executablePath)) {
    const sparticuz = (await import("@sparticuz/chromium")).default;
    executablePath = await sparticuz.executablePath();
    args.unshift(...sparticuz.args, "--no-sandbox");
  }
  return chromium.launch({ executablePath, args, headless: true, timeout: 30_000 });
}

/** Signs in through the form and waits for the page it lands on. */
export async function signIn(page: Page, baseUrl: string, email: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await Promise.all([
    page.waitForURL((url) => url.pathname !== "/login"),
    page.getByRole("button", { name: "Sign in" }).click(),
  ]);
}
