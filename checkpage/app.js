// The check page: starts Pyodide from the bytes bundled in this file, installs the bundled
// wheels (cjreturns among them), and runs cjreturns' own validator on the file the person
// chooses. Nothing is re-implemented here: this script only moves bytes and draws the table.
// It makes no network request: the Content-Security-Policy forbids them, and fetch is replaced
// by a shim that answers only for the bundled files.

const manifest = JSON.parse(document.getElementById("manifest").textContent);
const root = document.documentElement;
const progress = document.getElementById("loading-progress");
const message = document.getElementById("loading-message");
const input = document.getElementById("return-file");
const timings = { start: performance.now() };
let runtime = null; // the started Pyodide
window.cjTimings = timings;

const STEPS = [
  "Unpacking the checker",
  "Starting Python in this browser",
  "Installing the checker",
  "Ready",
];

function step(i) {
  progress.value = i;
  progress.max = STEPS.length - 1;
  message.textContent =
    i < STEPS.length - 1
      ? `${STEPS[i]} (step ${i + 1} of ${STEPS.length - 1}). The first start takes a few seconds.`
      : "The checker is ready. Choose your return below.";
}

function installFetchShim(files) {
  const original = globalThis.fetch.bind(globalThis);
  globalThis.fetch = async (resource, options) => {
    const url = typeof resource === "string" ? resource : resource.url ?? String(resource);
    const href = new URL(url, location.href).href;
    if (files.has(href)) {
      const { bytes, type } = files.get(href);
      return new Response(bytes, { status: 200, headers: { "Content-Type": type } });
    }
    if (href.startsWith("blob:") || href.startsWith("data:")) return original(resource, options);
    throw new TypeError(`This page works offline and fetches nothing (${href}).`);
  };
}

async function start() {
  step(0);
  const indexURL = new URL("./pyodide-bundled/", location.href).href;
  const [wasm, stdlib, lock] = await Promise.all([
    cjAssetBytes("pyodide.asm.wasm"),
    cjAssetBytes("python_stdlib.zip"),
    cjAssetBytes("pyodide-lock.json"),
  ]);
  installFetchShim(
    new Map([
      [indexURL + "pyodide.asm.wasm", { bytes: wasm, type: "application/wasm" }],
      [indexURL + "python_stdlib.zip", { bytes: stdlib, type: "application/zip" }],
    ]),
  );
  await import(await cjAssetUrl("pyodide.asm.js", "text/javascript"));
  const { loadPyodide } = await import(await cjAssetUrl("pyodide.mjs", "text/javascript"));
  timings.unpacked = performance.now();
  step(1);
  const pyodide = await loadPyodide({
    indexURL,
    packageBaseUrl: indexURL,
    lockFileContents: JSON.parse(new TextDecoder().decode(lock)),
    stdout: () => {},
    stderr: (line) => console.debug(line),
  });
  timings.python = performance.now();
  step(2);
  pyodide.FS.mkdirTree("/tmp/wheels");
  for (const name of manifest.wheels) {
    pyodide.FS.writeFile(`/tmp/wheels/${name}`, await cjAssetBytes(name));
  }
  pyodide.globals.set("cj_wheels", pyodide.toPy(manifest.wheels));
  pyodide.globals.set("cj_micropip", manifest.micropip);
  await pyodide.runPythonAsync(`
import importlib, site, zipfile
# micropip installs the rest, so it is unpacked by hand first (it is pure Python).
zipfile.ZipFile(f"/tmp/wheels/{cj_micropip}").extractall(site.getsitepackages()[0])
importlib.invalidate_caches()
import micropip
await micropip.install(
    [f"emfs:/tmp/wheels/{w}" for w in cj_wheels if w != cj_micropip], deps=False
)
`);
  const checkSource = new TextDecoder().decode(await cjAssetBytes("check.py"));
  pyodide.FS.writeFile("/home/pyodide/cj_check_page.py", checkSource);
  const module = pyodide.pyimport("cj_check_page");
  runtime = pyodide;
  timings.ready = performance.now();
  step(3);
  return module;
}

function cellText(row, text) {
  const td = document.createElement("td");
  td.className = "ds_table__cell";
  td.textContent = text ?? "";
  row.appendChild(td);
  return td;
}

function plural(n, word) {
  return `${n.toLocaleString("en-GB")} ${word}${n === 1 ? "" : "s"}`;
}

function where(finding) {
  if (finding.cell) return finding.cell;
  if (finding.line !== null && finding.line !== undefined) {
    return `${finding.line}:${finding.column ?? 1}`;
  }
  return finding.path || "(the whole file)";
}

function show(name, result) {
  const section = document.getElementById("results");
  document.getElementById("results-heading").textContent = `Findings for ${name}`;
  const summary = document.getElementById("summary");
  const counts = `${plural(result.errors, "error")} and ${plural(result.warnings, "warning")}`;
  summary.textContent = result.valid
    ? result.warnings
      ? `${counts}. The return can be sent, but look at the warnings first.`
      : `${counts}. This return is ready to send.`
    : `${counts}. Correct the errors, save the file and check it again.`;
  const table = document.getElementById("findings");
  const body = table.querySelector("tbody");
  body.replaceChildren();
  result.findings.forEach((f, i) => {
    const row = document.createElement("tr");
    cellText(row, String(i + 1));
    const severity = cellText(row, f.severity === "error" ? "Error" : "Warning");
    severity.dataset.severity = f.severity;
    cellText(row, where(f));
    cellText(row, f.rule);
    cellText(row, f.message);
    body.appendChild(row);
  });
  table.hidden = result.findings.length === 0;
  offerCopy(name, result.copy);
  section.hidden = false;
  section.focus();
}

let copyUrl = null;

function offerCopy(name, copy) {
  const box = document.getElementById("copy");
  const link = document.getElementById("copy-link");
  const refused = document.getElementById("copy-refused");
  if (copyUrl) URL.revokeObjectURL(copyUrl);
  copyUrl = null;
  box.hidden = !copy;
  if (!copy) return;
  link.hidden = !copy.ready;
  refused.hidden = copy.ready;
  if (copy.ready) {
    const bytes = runtime.FS.readFile("/tmp/checked-copy.xlsx");
    copyUrl = URL.createObjectURL(
      new Blob([bytes], {
        type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      }),
    );
    link.href = copyUrl;
    link.download = name.replace(/\.xlsx$/i, "") + "-checked.xlsx";
  } else {
    refused.textContent = copy.refusal.message;
  }
}

async function main() {
  root.dataset.state = "loading";
  const check = await start();
  input.disabled = false;
  root.dataset.state = "ready";
  input.addEventListener("change", async () => {
    const file = input.files[0];
    if (!file) return;
    root.dataset.state = "checking";
    const began = performance.now();
    const bytes = new Uint8Array(await file.arrayBuffer());
    const result = JSON.parse(check.check(file.name, bytes));
    timings.lastCheck = performance.now() - began;
    if (timings.firstFindings === undefined) timings.firstFindings = performance.now();
    show(file.name, result);
    root.dataset.state = "checked";
  });
}

main().catch((error) => {
  console.error(error);
  cjStartupFailed(error);
});
