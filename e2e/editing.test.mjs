// Two people on one story, in Debian's Chromium: autosave survives a closed
// tab and a dropped connection, a save over the other's work shows the
// conflict screen, presence comes and goes, actions say what they did and
// taking a story down asks first. Started by the Rust test
// `crates/manset/tests/it/e2e.rs`, which serves the demo site with two
// editors (MANSET_EDITORS: "email:name,email:name", password
// MANSET_PASSWORD) and names a published article's editor (MANSET_EDIT).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.MANSET_URL;
const edit = base + process.env.MANSET_EDIT;
const [ayse, mehmet] = process.env.MANSET_EDITORS.split(",").map((e) => {
  const [email, name] = e.split(":");
  return { email, name };
});
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => { await browser?.close(); });

/// A member signed in, in a browser context of their own (another person).
async function signIn(who, width = 1366) {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(base + "/yonetim/giris");
  await page.fill("#email", who.email);
  await page.fill("#password", process.env.MANSET_PASSWORD);
  await Promise.all([page.waitForURL((u) => !u.pathname.endsWith("/giris")), page.click("button[type=submit]")]);
  return { context, page };
}

async function autosaved(page) {
  await page.waitForFunction(() => /kaydedildi/.test(document.querySelector(".editor__autosave").textContent), null, { timeout: 15000 });
}

test("typed changes survive a closed tab and come back on reopening", async () => {
  const first = await signIn(mehmet);
  await first.page.goto(edit);
  await first.page.fill("#standfirst", "Kapanan sekmede yazılan spot");
  await first.page.locator("#standfirst").blur();
  await autosaved(first.page);
  assert.match(await first.page.textContent(".editor__autosave"), /yayındaki haber değişmedi/);
  await first.context.close();

  const again = await signIn(mehmet);
  await again.page.goto(edit);
  assert.notEqual(await again.page.inputValue("#standfirst"), "Kapanan sekmede yazılan spot", "not without asking");
  assert.match(await again.page.textContent(".editor__autosaved"), /Kaydedilmemiş değişiklikleriniz var \(\d\d:\d\d\)/);
  await again.page.click(".editor__autosaved a.button");
  assert.equal(await again.page.inputValue("#standfirst"), "Kapanan sekmede yazılan spot");
  // Discarded, it is gone.
  await again.page.goto(edit);
  await again.page.click(".editor__autosaved button");
  // The discard answers with the same editor, without the offer.
  await again.page.locator(".editor__autosaved").waitFor({ state: "detached" });
  await again.page.goto(edit);
  assert.equal(await again.page.locator(".editor__autosaved").count(), 0);
  await again.context.close();
});

test("changes typed offline are kept in the browser and offered back", async () => {
  const { context, page: first } = await signIn(mehmet);
  await first.goto(edit);
  await context.setOffline(true);
  await first.fill("#standfirst", "Bağlantı yokken yazılan spot");
  await first.locator("#standfirst").blur();
  await first.waitForFunction(() => /Bağlantı yok/.test(document.querySelector(".editor__autosave").textContent));
  // The tab dies before the connection comes back: only the browser has it.
  await first.close({ runBeforeUnload: false });
  await context.setOffline(false);
  const page = await context.newPage();
  await page.goto(edit);
  const banner = page.locator(".editor__local-copy");
  await banner.waitFor({ state: "visible" });
  await page.click(".editor__local-copy [data-restore]");
  assert.equal(await page.inputValue("#standfirst"), "Bağlantı yokken yazılan spot");
  await autosaved(page);
  // Leave nothing behind for the next test.
  await page.evaluate(() => localStorage.clear());
  await page.goto(edit);
  await page.click(".editor__autosaved button");
  await page.locator(".editor__autosaved").waitFor({ state: "detached" });
  await context.close();
});

test("two editors on one story: presence, then a conflict resolved field by field", async () => {
  const a = await signIn(ayse);
  const m = await signIn(mehmet);
  await a.page.goto(edit);
  await m.page.goto(edit);
  await m.page.waitForFunction((name) => document.querySelector(".editor__presence").textContent.includes(name), ayse.name);
  assert.match(await m.page.textContent(".editor__presence"), /bu haberi şu anda düzenliyor/);

  await a.page.fill("#headline", "Ayşe'nin başlığı");
  await Promise.all([a.page.waitForURL(/kaydedildi=save/), a.page.click("button[value=save]")]);
  assert.match(await a.page.textContent(".notice-box--success"), /Kaydedildi/);

  await m.page.fill("#headline", "Mehmet'in başlığı");
  // Leaving the headline for the button sends an autosave first, and the
  // submit waits for it: wait for the answer, not for the page in hand.
  await m.page.click("button[value=save]");
  await m.page.locator("form.conflict").waitFor();
  assert.match(await m.page.textContent("h1"), /başkası kaydetti/);
  assert.match(await m.page.textContent("form.conflict"), /Ayşe'nin başlığı/);
  await Promise.all([m.page.waitForURL(/kaydedildi=save/), m.page.click("button[name=action]")]);
  assert.equal(await m.page.inputValue("#headline"), "Mehmet'in başlığı", "his choice, the default");

  // Ayşe leaves the editor (her tab says goodbye): Mehmet is alone again.
  await a.page.goto(base + "/yonetim");
  await a.context.close();
  let alone = false;
  for (let i = 0; i < 50 && !alone; i++) {
    await m.page.reload();
    alone = await m.page.locator(".editor__presence").isHidden();
    if (!alone) await m.page.waitForTimeout(100);
  }
  assert.equal(alone, true, "her presence ends when she leaves");
  await m.context.close();
});

test("taking a story down asks first and then says it is done", async () => {
  const { context, page } = await signIn(ayse, 390);
  await page.goto(edit);
  await page.click("button[value=unpublish]");
  await page.locator("h1", { hasText: "Emin misiniz" }).waitFor();
  assert.match(await page.textContent("h1"), /Emin misiniz/);
  await Promise.all([page.waitForURL(/kaydedildi=unpublish/), page.click("button[value=unpublish]")]);
  assert.match(await page.textContent(".notice-box--success"), /yayından kaldırıldı/);
  await Promise.all([page.waitForURL(/kaydedildi=publish/), page.click("button[value=publish]")]);
  assert.match(await page.textContent(".notice-box--success"), /Haber yayımlandı/);
  await context.close();
});

test("a new story saved while its first autosave is on the way is one story, not two", async () => {
  const { context, page } = await signIn(ayse);
  const headline = "Tek kayıt " + Date.now();
  await page.goto(base + "/yonetim/haber/yeni");
  await page.fill("#category", "Gündem");
  await page.fill("#body", "Birinci paragraf.");
  await page.fill("#headline", headline);
  // Leaving the headline for the button sends an autosave that makes the draft.
  await Promise.all([page.waitForURL(/kaydedildi=save/), page.click("button[value=save]")]);
  await page.goto(base + "/yonetim?durum=draft");
  assert.equal(await page.locator("tbody a", { hasText: headline }).count(), 1);
  await context.close();
});
