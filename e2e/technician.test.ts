// Journey: a technician on a 360×740 phone opens today's visit from the list, travels, arrives,
// takes a photo with the phone's file input, has the customer sign on the canvas, completes the
// visit, and the service report PDF carries the photo and the signature.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import sharp from "sharp";
import { pdfText } from "../test/pdf";
import { signIn } from "./browser";
import { type Journey, startJourney } from "./harness";

let journey: Journey | undefined;

beforeAll(async () => {
  journey = await startJourney({ label: "Technician", workOrders: ["Aircon not cooling"], visitNow: true });
}, 60_000);

afterAll(async () => {
  await journey?.close();
});

describe("a technician on the phone", () => {
  test("completes a visit with a photo and a signature; the report carries both", async () => {
    const { base, world } = journey!;
    const field = world.field!;
    const visit = field.visit!;
    const context = await journey!.person({
      viewport: { width: 360, height: 740 },
      isMobile: true,
      hasTouch: true,
    });
    const page = await context.newPage();
    const scriptErrors: string[] = [];
    page.on("pageerror", (error) => scriptErrors.push(error.message));
    await signIn(page, base, field.technician.email);
    await page.goto(`${base}/tech`);
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    expect(await fitsWidth()).toBe(true);
    await Promise.all([
      page.waitForURL(new RegExp(`/tech/appointments/${visit.appointmentId}`)),
      page.getByRole("link", { name: /Aircon not cooling/ }).click(),
    ]);
    expect(await fitsWidth()).toBe(true);
    for (const action of ["Start travel", "Arrived on site"]) {
      await Promise.all([
        page.waitForURL(/notice=status/),
        page.getByRole("button", { name: action }).click(),
      ]);
    }
    expect(await page.locator("#visit-status").textContent()).toBe("On site");

    const photo = await sharp({ create: { width: 1200, height: 900, channels: 3, background: "#3a7" } })
      .jpeg()
      .toBuffer();
    await page
      .locator("#photo")
      .setInputFiles({ name: "IMG_0001.jpg", mimeType: "image/jpeg", buffer: photo });
    await page.getByLabel("Caption").fill("Coil after cleaning");
    await Promise.all([
      page.waitForURL(/notice=photos/),
      page.getByRole("button", { name: "Upload photo" }).click(),
    ]);
    expect(await page.locator("#photos img").getAttribute("alt")).toBe("Coil after cleaning");

    await page.getByLabel("Customer's name").fill("Carol Customer");
    const pad = page.locator("canvas.signature-pad");
    await pad.scrollIntoViewIfNeeded();
    const box = (await pad.boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 12; i++)
      await page.mouse.move(box.x + 20 + i * 20, box.y + box.height / 2 + (i % 2 ? -30 : 30));
    await page.mouse.up();
    await Promise.all([
      page.waitForURL(/notice=signed/),
      page.getByRole("button", { name: "Save signature" }).click(),
    ]);
    expect(await page.locator("#signed").textContent()).toContain("Signed by Carol Customer");
    expect(await page.locator('#signed img[alt="Signature"]').count()).toBe(1);

    await Promise.all([
      page.waitForURL(/notice=status/),
      page.getByRole("button", { name: "Complete", exact: true }).click(),
    ]);
    expect(await page.locator("#visit-status").textContent()).toBe("Completed");

    const report = await page.request.get(`${base}/tech/appointments/${visit.appointmentId}/report.pdf`);
    expect(report.status()).toBe(200);
    const pdf = Buffer.from(await report.body());
    const text = pdfText(pdf);
    expect(text).toContain("Coil after cleaning");
    expect(text).toContain("Carol Customer");
    // The photo's thumbnail and the signature drawing.
    expect(pdf.toString("latin1").match(/\/Subtype \/Image/g)?.length).toBeGreaterThanOrEqual(2);
    expect(scriptErrors).toEqual([]);
  }, 90_000);
});
