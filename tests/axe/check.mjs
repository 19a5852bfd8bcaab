// Checks HTML pages with axe-core (WCAG 2.1 A and AA) in headless Chromium, and that nothing
// scrolls sideways at 320 CSS px (1.4.10 Reflow), and takes a screenshot of each at phone and
// desktop width. Usage:
//   node check.mjs OUT_DIR PAGE.html...
// Prints one JSON object per page: {"page", "violations": [{"id", "impact", "help", "nodes"}]}.
// Only local files are opened; every request to anywhere else is refused.
import { createRequire } from "node:module";
import { chromium } from "playwright-core";
import path from "node:path";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const [outDir, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
let external = 0;
for (const file of pages) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) return route.continue();
    external += 1;
    console.error(`external request refused: ${url}`);
    return route.abort();
  });
  await page.goto("file://" + path.resolve(file));
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const name = path.relative(process.cwd(), file).replaceAll(path.sep, "_").replace(/\.html$/, "");
  if (outDir) {
    await page.screenshot({ path: path.join(outDir, `${name}-1280.png`), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: path.join(outDir, `${name}-390.png`), fullPage: true });
  }
  const violations = result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")),
  }));
  // WCAG 1.4.10 Reflow, which axe does not test: nothing scrolls sideways at 320 CSS px.
  await page.setViewportSize({ width: 320, height: 640 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 320) {
    violations.push({ id: "reflow-320", impact: "serious", help: `the page is ${wide} px wide at 320 px`, nodes: [] });
  }
  console.log(JSON.stringify({ page: file, passes: result.passes.length, violations }));
  await page.close();
}
await browser.close();
if (external > 0) process.exitCode = 3;
