// Every page type the site serves, checked by the Nu HTML Checker (npm
// `vnu-jar`, run with the machine's Java): no errors. Started by
// `crates/manset/tests/it/e2e.rs` with the same variables as reader.test.mjs.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

const base = process.env.MANSET_URL;
const seed = process.env.MANSET_SEED;
const category = process.env.MANSET_CATEGORY;
const [email, password] = (process.env.MANSET_EDITOR || ":").split(":");
const vnu = createRequire(import.meta.url).resolve("vnu-jar/build/dist/vnu.jar");

async function get(path, cookie) {
  const response = await fetch(base + path, { headers: cookie ? { cookie } : {}, redirect: "manual" });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/// A form posted as a browser on this site would.
async function post(path, fields, cookie) {
  const headers = { origin: base, "content-type": "application/x-www-form-urlencoded" };
  if (cookie) headers.cookie = cookie;
  const response = await fetch(base + path, { method: "POST", headers, body: new URLSearchParams(fields), redirect: "manual" });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

test("every page type is valid HTML", async () => {
  const article = await get(seed);
  const href = (page, prefix) => page.match(new RegExp(`href="(${prefix}[^"]+)"`))[1];
  const token = article.text.match(/name="token" value="([^"]+)"/)[1];
  const refused = await post(`${seed}/yorum`, { comment: "Metin", author: "Okur", email: "okur@ornek", token });
  assert.equal(refused.status, 422, "a refused comment answers with the form and its errors");

  const login = await post("/yonetim/giris", { email, password });
  const cookie = login.headers.get("set-cookie").split(";")[0];
  const pages = {
    home: await get("/"),
    article,
    category: await get(category),
    "category-page-2": await get(`${category}?sayfa=2`),
    tag: await get(href(article.text, "/etiket/")),
    author: await get(href(article.text, "/yazar/")),
    search: await get("/ara?q=g%C3%B6r%C3%BC%C5%9Ft%C3%BC"),
    "search-empty": await get("/ara"),
    "search-no-results": await get("/ara?q=zzzyyyxxx"),
    "not-found": await get("/haber/yok-boyle-bir-haber"),
    "comment-error": refused,
    "admin-login": await get("/yonetim/giris"),
    "admin-desk": await get("/yonetim", cookie),
    "admin-editor-new": await get("/yonetim/haber/yeni", cookie),
    "admin-comments": await get("/yonetim/yorumlar", cookie),
    "admin-media": await get("/yonetim/medya", cookie),
    "admin-categories": await get("/yonetim/kategoriler", cookie),
    "admin-tags": await get("/yonetim/etiketler", cookie),
    "admin-front": await get("/yonetim/anasayfa", cookie),
    "admin-pages": await get("/yonetim/sayfalar", cookie),
    "admin-page-new": await get("/yonetim/sayfalar/yeni", cookie),
    "admin-users": await get("/yonetim/kullanicilar", cookie),
    "admin-settings": await get("/yonetim/ayarlar", cookie),
    "admin-audit": await get("/yonetim/kayitlar", cookie),
    "admin-password": await get("/yonetim/parola", cookie),
  };
  const desk = pages["admin-desk"].text;
  const edit = desk.match(/href="(\/yonetim\/haber\/\d+)"/);
  if (edit) pages["admin-editor"] = await get(edit[1], cookie);

  const dir = mkdtempSync(join(tmpdir(), "manset-vnu-"));
  const files = [];
  for (const [name, page] of Object.entries(pages)) {
    assert.ok(page.text.startsWith("<!doctype html>"), `${name} (${page.status}) is an HTML page`);
    const file = join(dir, `${name}.html`);
    writeFileSync(file, page.text);
    files.push(file);
  }
  let report;
  try {
    report = execFileSync("java", ["-jar", vnu, "--errors-only", "--format", "json", ...files], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    // vnu exits 1 when it finds errors; its JSON is on stderr.
    report = e.stderr || e.stdout;
  }
  const messages = JSON.parse(report || '{"messages":[]}').messages
    .filter((m) => m.type === "error")
    .map((m) => `${m.url.split("/").pop()}:${m.lastLine}: ${m.message}`);
  assert.deepEqual(messages, [], "the Nu HTML Checker found errors");
  console.log(`validated ${files.length} pages: ${Object.keys(pages).join(", ")}`);
});
