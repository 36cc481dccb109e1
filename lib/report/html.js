/* resplint html report: filters (severity, rule, input), sorting and pages over the findings
   table. The table is complete without this script; the script only hides and reorders rows.
   With 100,000 rows a page shows 200 of them, so the browser lays out only those. */
(function () {
  "use strict";
  var table = document.getElementById("ft");
  var controls = document.getElementById("controls");
  if (!table || !controls) return;
  var tbody = table.tBodies[0];
  var rows = Array.prototype.slice.call(tbody.rows);
  var SEV = { "3": "error", "2": "warning", "1": "info" };
  var state = { sev: { "3": true, "2": true, "1": true }, rule: "", input: "", page: 0, size: 200,
                key: "n", dir: 1 };
  var rules = {}, inputs = {}, inputOrder = [];
  rows.forEach(function (tr, i) {
    tr._n = i;
    tr._sev = tr.getAttribute("data-sev");
    tr._rule = tr.getAttribute("data-rule");
    tr._input = tr.getAttribute("data-input");
    var name = tr.querySelector(".rn");
    if (!(tr._rule in rules)) rules[tr._rule] = name ? name.textContent : "";
    if (!(tr._input in inputs)) {
      var p = tr.querySelector(".in");
      inputs[tr._input] = p ? p.textContent : tr._input;
      inputOrder.push(tr._input);
    }
  });

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function select(id, label, options) {
    var wrap = el("label", { "for": id }, label + " ");
    var s = el("select", { id: id });
    s.appendChild(el("option", { value: "" }, "all"));
    options.forEach(function (o) { s.appendChild(el("option", { value: o[0] }, o[1])); });
    wrap.appendChild(s);
    controls.appendChild(wrap);
    return s;
  }

  var fs = el("fieldset");
  fs.appendChild(el("legend", {}, "Severity"));
  ["3", "2", "1"].forEach(function (s) {
    var l = el("label");
    var c = el("input", { type: "checkbox", "data-sev": s });
    c.checked = true;
    c.addEventListener("change", function () { state.sev[s] = c.checked; state.page = 0; apply(); });
    l.appendChild(c);
    l.appendChild(document.createTextNode(" " + SEV[s]));
    fs.appendChild(l);
  });
  controls.appendChild(fs);
  var ruleSel = select("f-rule", "Rule", Object.keys(rules).sort().map(function (r) {
    return [r, r + " " + rules[r]];
  }));
  var inputSel = select("f-input", "Input", inputOrder.map(function (i) { return [i, inputs[i]]; }));
  var sizeSel = el("select", { id: "f-size" });
  [50, 200, 1000, 0].forEach(function (n) {
    var o = el("option", { value: String(n) }, n ? String(n) : "all");
    if (n === state.size) o.selected = true;
    sizeSel.appendChild(o);
  });
  var sizeLabel = el("label", { "for": "f-size" }, "Rows per page ");
  sizeLabel.appendChild(sizeSel);
  controls.appendChild(sizeLabel);
  var pager = el("div", { "class": "pager" });
  var prev = el("button", { type: "button" }, "\u2190 Previous");
  var next = el("button", { type: "button" }, "Next \u2192");
  var status = el("span", { role: "status", "aria-live": "polite" });
  pager.appendChild(prev);
  pager.appendChild(status);
  pager.appendChild(next);
  controls.appendChild(pager);
  controls.hidden = false;

  ruleSel.addEventListener("change", function () { state.rule = ruleSel.value; state.page = 0; apply(); });
  inputSel.addEventListener("change", function () { state.input = inputSel.value; state.page = 0; apply(); });
  sizeSel.addEventListener("change", function () { state.size = +sizeSel.value; state.page = 0; apply(); });
  prev.addEventListener("click", function () { state.page--; apply(); });
  next.addEventListener("click", function () { state.page++; apply(); });

  var matching = rows;
  function apply(all) {
    matching = rows.filter(function (tr) {
      return state.sev[tr._sev] !== false && (!state.rule || tr._rule === state.rule) &&
             (!state.input || tr._input === state.input);
    });
    var size = state.size || matching.length || 1;
    var pages = Math.max(1, Math.ceil(matching.length / size));
    if (state.page >= pages) state.page = pages - 1;
    if (state.page < 0) state.page = 0;
    var from = all ? 0 : state.page * size, to = all ? matching.length : from + size;
    rows.forEach(function (tr) { tr.hidden = true; });
    for (var i = from; i < to && i < matching.length; i++) matching[i].hidden = false;
    prev.disabled = all || state.page === 0;
    next.disabled = all || state.page >= pages - 1;
    status.textContent = matching.length ?
      "rows " + (from + 1) + "\u2013" + Math.min(to, matching.length) + " of " + matching.length +
      (matching.length < rows.length ? " (filtered from " + rows.length + ")" : "") :
      "no finding matches";
  }

  var keys = {
    n: function (tr) { return tr._n; },
    sev: function (tr) { return -tr._sev; },
    rule: function (tr) { return tr._rule; }
  };
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.getAttribute("data-sort");
    if (!key) return;
    var b = el("button", { type: "button" }, th.textContent);
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      state.dir = state.key === key && th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      state.key = key;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", state.dir > 0 ? "ascending" : "descending");
      var f = keys[key];
      rows.sort(function (a, b2) {
        var x = f(a), y = f(b2);
        return (x < y ? -1 : x > y ? 1 : a._n - b2._n) * state.dir;
      });
      var frag = document.createDocumentFragment();
      rows.forEach(function (tr) { frag.appendChild(tr); });
      tbody.appendChild(frag);
      state.page = 0;
      apply();
    });
  });

  /* a link to a rule page opens it */
  function openTarget() {
    var id = decodeURIComponent(location.hash.slice(1));
    var t = id && document.getElementById(id);
    if (t && t.tagName === "DETAILS") t.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();

  /* printing shows every row that matches, and the rule pages open */
  window.addEventListener("beforeprint", function () {
    apply(true);
    Array.prototype.forEach.call(document.querySelectorAll("details.rule"), function (d) { d.open = true; });
  });
  window.addEventListener("afterprint", function () { apply(); });
  apply();
})();
