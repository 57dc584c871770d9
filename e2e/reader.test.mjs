// Manşet as a reader and an editor meet it, in Debian's Chromium, at a
// phone's and a desktop's size: every page checked by axe-core (WCAG 2 A
// and AA), screenshots kept for a person to look at, the article page's
// weight budgeted. Started by `crates/manset/tests/it/e2e.rs`, which serves a
// site holding the seed article and filler content and passes:
//   MANSET_URL       the site
//   MANSET_SEED      the seed article's path (the lead story)
//   MANSET_CATEGORY  a category with more than one page of articles
//   MANSET_EDITOR    "email:password" of an editor
//   MANSET_SHOTS     the folder for screenshots
import { test, before, after, describe } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const base = process.env.MANSET_URL;
const seed = process.env.MANSET_SEED;
const category = process.env.MANSET_CATEGORY;
const [editorEmail, editorPassword] = (process.env.MANSET_EDITOR || ":").split(":");
const shots = process.env.MANSET_SHOTS;
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const VIEWPORTS = { phone: { width: 390, height: 844 }, desktop: { width: 1366, height: 768 } };
let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => { await browser?.close(); });

/// A page at `viewport`, recording script errors and every request.
async function open(viewport, options = {}) {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], ...options });
  const page = await context.newPage();
  // Fail fast: a missing element is a failure, not a wait.
  page.setDefaultTimeout(10_000);
  const errors = [];
  const requests = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  return { context, page, errors, requests };
}

/// Polls `condition` in the page from here (page-side waiting needs the
/// page's own JavaScript, which some tests turn off).
async function until(page, condition, what) {
  for (let i = 0; i < 50; i++) {
    if (await page.evaluate(condition)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${what}: not within 5 s`);
}

/// axe-core's WCAG 2 A and AA rules on the page as it is: no violations.
async function accessible(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const found = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n    ")}`);
  assert.deepEqual(found, [], `${what}: accessibility violations`);
}

async function shoot(page, name, viewport) {
  await page.screenshot({ path: `${shots}/${name}-${viewport}.png`, fullPage: true });
}

/// The top of an element on the page, if it is visible.
async function top(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  assert.ok(box && box.height > 0, `${selector} is visible`);
  return box.y;
}

test("the accessibility check finds what it should", async () => {
  const { context, page } = await open("phone");
  await page.setContent('<!doctype html><html><body><img src="x.png"><button></button></body></html>');
  await assert.rejects(accessible(page, "a page with faults"), /button-name[\s\S]*image-alt/);
  await context.close();
});

for (const viewport of Object.keys(VIEWPORTS)) {
  describe(`a reader on a ${viewport}`, () => {
    test("the home page leads to the seed article, whose parts come in order", async () => {
      const { context, page, errors, requests } = await open(viewport);
      await page.goto(base + "/");
      await accessible(page, "home");
      await shoot(page, "home", viewport);
      await page.locator(".front__lead a[href^='/haber/']").first().click();
      await page.waitForURL(base + seed);
      const order = [".kicker", ".article__headline", ".standfirst", ".dateline", ".article__body", ".credits",
        ".related", ".comment-form"];
      let last = -1;
      for (const selector of order) {
        const y = await top(page, selector);
        assert.ok(y > last, `${selector} comes after the part before it`);
        last = y;
      }
      await accessible(page, "article");
      await shoot(page, "article", viewport);
      assert.ok(requests.every((url) => url.startsWith(base)), `no third-party requests: ${requests.filter((u) => !u.startsWith(base))}`);
      // A related article opens.
      const related = page.locator(".related a[href^='/haber/']").first();
      const href = await related.getAttribute("href");
      await related.click();
      await page.waitForURL(base + href);
      assert.ok(await page.locator("h1.article__headline").isVisible());
      assert.deepEqual(errors, []);
      await context.close();
    });

    for (const javaScriptEnabled of [true, false]) {
      test(`back to top works with JavaScript ${javaScriptEnabled ? "on" : "off"}`, async () => {
        const { context, page } = await open(viewport, { javaScriptEnabled });
        await page.goto(base + seed);
        await page.locator(".to-top").scrollIntoViewIfNeeded();
        await until(page, () => window.scrollY > 500, "scrolled down");
        await page.locator(".to-top").click();
        await until(page, () => window.scrollY < 50, "back at the top");
        await context.close();
      });
    }

    test("a comment posts and awaits approval; a wrong address is refused in Turkish, the text kept", async () => {
      const { context, page, errors } = await open(viewport);
      await page.goto(base + seed);
      await page.fill("#comment", `Bir okur yorumu (${viewport}).`);
      await page.fill("#author", "Okur");
      await page.fill("#email", "okur@example.com");
      await page.click(".comment-form button[type=submit]");
      await page.waitForSelector(".notice-box--success");
      assert.match(await page.innerText("#yorumlar"), /onay bekliyor/);
      assert.deepEqual(errors, []);
      await context.close();

      // Without the site's script the server answers: an address the browser
      // lets through but we do not (no domain ending). (The script is blocked
      // rather than JavaScript turned off, so that axe-core can still run.)
      const plain = await open(viewport);
      await plain.context.route(/\.js(\?|$)/, (route) => route.abort());
      await plain.page.goto(base + seed);
      await plain.page.fill("#comment", "Bu metin kaybolmamalı.");
      await plain.page.fill("#author", "Okur");
      await plain.page.fill("#email", "okur@ornek");
      await plain.page.click(".comment-form button[type=submit]");
      await plain.page.waitForSelector("#email-error");
      assert.match(await plain.page.innerText("#email-error"), /geçerli bir e-posta/);
      assert.equal(await plain.page.inputValue("#comment"), "Bu metin kaybolmamalı.");
      await accessible(plain.page, "comment error");
      await shoot(plain.page, "comment-error", viewport);
      await plain.context.close();
    });

    test("search finds the seed with and without Turkish letters", async () => {
      const { context, page } = await open(viewport);
      for (const query of ["görüştü", "GORUSTU"]) {
        await page.goto(base + "/ara");
        await page.fill("#q", query);
        await page.press("#q", "Enter");
        await page.waitForURL(/\/ara\?/);
        const hit = page.locator(`.search-results a[href='${seed}']`).first();
        assert.ok(await hit.isVisible(), `${query} finds the seed`);
        if (query === "GORUSTU") {
          await accessible(page, "search");
          await shoot(page, "search", viewport);
          await hit.click();
          await page.waitForURL(base + seed);
        }
      }
      await page.goto(base + "/ara?q=" + encodeURIComponent("zzzyyyxxx"));
      await accessible(page, "search without results");
      await context.close();
    });

    test("a category pages through its articles", async () => {
      const { context, page } = await open(viewport);
      await page.goto(base + category);
      await accessible(page, "category");
      await shoot(page, "category", viewport);
      const first = await page.locator("main a[href^='/haber/']").first().getAttribute("href");
      await page.click(".pagination a[rel=next]");
      await page.waitForURL(/sayfa=2|\/2$/);
      const second = await page.locator("main a[href^='/haber/']").first().getAttribute("href");
      assert.notEqual(first, second, "page 2 shows other articles");
      await page.click(".pagination a[rel=prev]");
      await page.waitForURL((url) => !/sayfa=2/.test(url.toString()));
      await context.close();
    });

    test("tag, author, static page and 404 pages", async () => {
      const { context, page } = await open(viewport);
      await page.goto(base + seed);
      const tag = await page.locator(".tags a").first().getAttribute("href");
      const author = await page.locator(".byline__name").first().getAttribute("href");
      for (const [name, path, status] of [["tag", tag, 200], ["author", author, 200], ["not-found", "/haber/yok-boyle-bir-haber", 404]]) {
        const response = await page.goto(base + path);
        assert.equal(response.status(), status, path);
        await accessible(page, name);
        await shoot(page, name, viewport);
      }
      await context.close();
    });

    test("keyboard only: the comment form and the search", async () => {
      const { context, page } = await open(viewport);
      await page.goto(base + seed);
      // Tab until the comment box has the focus, then fill the form by keyboard.
      for (let i = 0; i < 400 && !(await page.evaluate(() => document.activeElement?.id === "comment")); i++) {
        await page.keyboard.press("Tab");
      }
      assert.equal(await page.evaluate(() => document.activeElement?.id), "comment", "the comment box is reachable by Tab");
      await page.keyboard.type(`Klavyeyle yazılan yorum (${viewport}).`);
      for (const [id, text] of [["author", "Klavye Okuru"], ["email", "klavye@example.com"]]) {
        for (let i = 0; i < 5 && !(await page.evaluate((x) => document.activeElement?.id === x, id)); i++) {
          await page.keyboard.press("Tab");
        }
        assert.equal(await page.evaluate(() => document.activeElement?.id), id);
        await page.keyboard.type(text);
      }
      for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.type === "submit")); i++) {
        await page.keyboard.press("Tab");
      }
      await page.keyboard.press("Enter");
      await page.waitForSelector(".notice-box--success");
      // The search: from the menu link by keyboard, then the box.
      await page.goto(base + "/");
      for (let i = 0; i < 60 && !(await page.evaluate(() => document.activeElement?.getAttribute("href") === "/ara")); i++) {
        await page.keyboard.press("Tab");
      }
      await page.keyboard.press("Enter");
      await page.waitForURL(base + "/ara");
      for (let i = 0; i < 60 && !(await page.evaluate(() => document.activeElement?.id === "q")); i++) {
        await page.keyboard.press("Tab");
      }
      await page.keyboard.type("gorustu");
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/ara\?/);
      assert.ok(await page.locator(`.search-results a[href='${seed}']`).first().isVisible());
      await context.close();
    });

    test("the article page weighs under 100 KB without its images", async () => {
      const { context, page } = await open(viewport);
      let bytes = 0;
      const counted = [];
      page.on("response", async (response) => {
        const type = response.request().resourceType();
        if (["document", "stylesheet", "script"].includes(type)) {
          const length = Number(response.headers()["content-length"] || (await response.body()).length);
          bytes += length;
          counted.push(`${type} ${response.url()} ${length}`);
        }
      });
      await page.goto(base + seed, { waitUntil: "networkidle" });
      assert.ok(bytes > 0 && bytes < 100 * 1024, `article page: ${bytes} bytes\n${counted.join("\n")}`);
      console.log(`article page weight (${viewport}): ${bytes} bytes in ${counted.length} responses`);
      await context.close();
    });
  });
}

describe("an editor", () => {
  test("logs in, writes, previews, publishes, and sees the story on the home page", async () => {
    for (const viewport of Object.keys(VIEWPORTS)) {
      const { context, page, errors } = await open(viewport);
      await page.goto(base + "/yonetim/giris");
      await accessible(page, "login");
      await shoot(page, "admin-login", viewport);
      await page.fill("#email", editorEmail);
      await page.fill("#password", editorPassword);
      await page.click("form button[type=submit]");
      await page.waitForURL(base + "/yonetim");
      await accessible(page, "desk");
      await shoot(page, "admin-desk", viewport);
      await page.goto(base + "/yonetim/haber/yeni");
      const headline = `Tarayıcıdan yayımlanan haber (${viewport})`;
      await page.fill("#headline", headline);
      await page.fill("#category", "Gündem");
      await page.fill("#body", "Bu haber **tarayıcıda** yazıldı.\n\n- bir\n- iki");
      // The button sends the form (the server renders the preview): wait
      // for that page, not for the live preview the typing already showed
      // on this one (under load the submit waits for an autosave first).
      await Promise.all([page.waitForNavigation(), page.click("button[name=action][value=preview]")]);
      await page.waitForSelector(".editor__preview-body strong");
      // And for whatever that page still loads or sends (an autosave, a
      // second navigation under load) before axe reads it.
      await page.waitForLoadState("networkidle");
      assert.match(await page.innerText(".editor__preview-body"), /tarayıcıda/);
      await accessible(page, "editor");
      await shoot(page, "admin-editor", viewport);
      await page.click("button[name=action][value=publish]");
      await page.waitForURL(/\/yonetim\/haber\/\d+/);
      await page.goto(base + "/");
      assert.ok(await page.locator(".front", { hasText: headline }).first().isVisible(), "on the home page");
      assert.deepEqual(errors, []);
      await context.close();
    }
  });
});
