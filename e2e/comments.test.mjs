// Comments with JavaScript, in Debian's Chromium: replies open inline and
// comments post without a page reload. Started by the Rust test
// `crates/manset/tests/it/e2e.rs`, which serves the demo site and passes
// MANSET_URL (the site) and MANSET_ARTICLE (an article with one approved
// comment, id in MANSET_COMMENT, by MANSET_COMMENT_NAME).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const base = process.env.MANSET_URL;
const article = process.env.MANSET_ARTICLE;
const commentId = process.env.MANSET_COMMENT;
const commentName = process.env.MANSET_COMMENT_NAME;
let browser;

before(async () => {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => { await browser?.close(); });

async function open() {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(base + article);
  // Survives only if the page is never reloaded.
  await page.evaluate(() => { window.__sameDocument = true; });
  return { page, errors };
}

async function fill(page, body) {
  await page.fill("#comment", body);
  await page.fill("#author", "Tarayıcı Okuru");
  await page.fill("#email", "tarayici@example.com");
}

test("a comment posts without a reload and shows as awaiting moderation", async () => {
  const { page, errors } = await open();
  await fill(page, "JavaScript ile gönderilen yorum.");
  await page.click(".comment-form button[type=submit]");
  await page.waitForSelector(".notice-box--success");
  assert.equal(await page.evaluate(() => window.__sameDocument), true, "the page was reloaded");
  const item = page.locator("#yorumlar .comment", { hasText: "JavaScript ile gönderilen yorum." });
  assert.equal(await item.count(), 1);
  assert.match(await item.innerText(), /Yorumunuz onay bekliyor/);
  assert.equal(await page.inputValue("#comment"), "", "the text box is emptied");
  assert.deepEqual(errors, []);
  await page.close();
});

test("reply opens the form under the comment and posts into its thread", async () => {
  const { page, errors } = await open();
  await page.click(`#yorum-${commentId} .comment__reply`);
  assert.equal(await page.locator(`#yorum-${commentId} #yorum-yaz`).count(), 1, "the form moved under the comment");
  assert.match(await page.innerText(".comment-form__replying"), new RegExp(commentName));
  assert.equal(await page.inputValue("input[name=parent_id]"), commentId);
  await fill(page, "Satır içi yanıt.");
  await page.click(".comment-form button[type=submit]");
  await page.waitForSelector(".notice-box--success");
  const reply = page.locator(`#yorum-${commentId} > ol.comment-list .comment`, { hasText: "Satır içi yanıt." });
  assert.equal(await reply.count(), 1, "the reply sits in the thread");
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  assert.equal(await page.locator("#yorumlar + #yorum-yaz, #yorumlar ~ #yorum-yaz").count(), 1, "the form went home");
  assert.deepEqual(errors, []);
  await page.close();
});

test("server-side errors appear next to their fields, text kept", async () => {
  const { page } = await open();
  await page.evaluate(() => { document.querySelector(".comment-form").noValidate = true; });
  await page.fill("#comment", "Adresim eksik.");
  await page.fill("#author", "Okur");
  await page.fill("#email", "yanlis-adres");
  await page.click(".comment-form button[type=submit]");
  await page.waitForSelector(".notice-box--error");
  assert.match(await page.innerText("#email + .field__error"), /geçerli bir e-posta/);
  assert.equal(await page.inputValue("#comment"), "Adresim eksik.");
  assert.equal(await page.evaluate(() => window.__sameDocument), true);
  await page.close();
});
