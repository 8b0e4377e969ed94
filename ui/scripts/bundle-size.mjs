// Measures the production JavaScript and CSS, gzipped, and fails the build over the budget.
// Writes dist-size.json next to dist/ (not inside it, so it is not served).
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_JS_GZIP = 300 * 1024;
const dir = new URL('../dist/', import.meta.url).pathname;

function files(d) {
  return readdirSync(d).flatMap((name) => {
    const p = join(d, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

const all = files(dir);
const size = (ext) =>
  all
    .filter((f) => f.endsWith(ext))
    .reduce((acc, f) => {
      const raw = readFileSync(f);
      return { raw: acc.raw + raw.length, gzip: acc.gzip + gzipSync(raw, { level: 9 }).length };
    }, { raw: 0, gzip: 0 });

const js = size('.js');
const css = size('.css');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const report = { js_bytes: js.raw, js_gzip_bytes: js.gzip, css_bytes: css.raw, css_gzip_bytes: css.gzip, budget_js_gzip_bytes: BUDGET_JS_GZIP };
writeFileSync(new URL('../dist-size.json', import.meta.url), JSON.stringify(report, null, 2) + '\n');
console.log(`bundle: JS ${kb(js.raw)} (${kb(js.gzip)} gzipped), CSS ${kb(css.raw)} (${kb(css.gzip)} gzipped); JS budget ${kb(BUDGET_JS_GZIP)} gzipped`);
if (js.gzip > BUDGET_JS_GZIP) {
  console.error(`bundle: production JS is ${kb(js.gzip)} gzipped, over the ${kb(BUDGET_JS_GZIP)} budget`);
  process.exit(1);
}
