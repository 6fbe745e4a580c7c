// Inline and classic: browsers refuse module scripts from file://, so the page's module
// (app.js, bundled as base64 like everything else) is imported from a blob: URL.
(function () {
  "use strict";
  function decode(text) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(text.trim());
    var raw = atob(text.trim());
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  async function assetBytes(name) {
    var el = document.querySelector('script[data-asset="' + name + '"]');
    if (!el) throw new Error("The page is incomplete: " + name + " is missing.");
    var data = decode(el.textContent);
    if (el.dataset.gzip) {
      var stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
      data = new Uint8Array(await new Response(stream).arrayBuffer());
    }
    return data;
  }
  window.cjAssetBytes = assetBytes;
  window.cjAssetUrl = async function (name, type) {
    return URL.createObjectURL(new Blob([await assetBytes(name)], { type: type }));
  };
  function fail(error) {
    var status = document.getElementById("loading-message");
    if (status) {
      status.textContent =
        "The checker could not start in this browser (" + error.message + "). " +
        "Try the latest Chrome, Edge or Firefox.";
    }
    document.documentElement.dataset.state = "failed";
  }
  window.cjStartupFailed = fail;
  window.cjAssetUrl("app.js", "text/javascript")
    .then(function (url) { return import(url); })
    .catch(fail);
})();
