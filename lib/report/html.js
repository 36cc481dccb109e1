/* resplint html report: filters (severity, rule, input), sorting and pages over the findings
   table. Without this script the table is shown whole. The report writes its rows in <tbody>
   groups of 200: unfiltered and in the order found, a page is one group and the others are
   display:none, so the browser lays out 200 rows however many there are. Filtered or
   sorted, the rows of the page shown are moved into one more <tbody> and put back after. */
(function () {
  "use strict";
  try {
    run();
  } catch (e) {
    /* whatever failed, the table is shown whole, as without scripts */
    document.documentElement.className = "";
    var t = document.getElementById("ft");
    if (t) Array.prototype.forEach.call(t.tBodies, function (tb) { tb.hidden = false; });
    throw e;
  }

  function run() {
    var table = document.getElementById("ft");
    var controls = document.getElementById("controls");
    if (!table || !controls) { document.documentElement.className = ""; return; }
    var PAGE = 200;
    var bodies = Array.prototype.slice.call(table.tBodies);
    var view = document.createElement("tbody");
    view.hidden = true;
    table.appendChild(view);
    var rows = [], sev = [], rule = [], input = [];
    var rules = {}, ruleOrder = [], inputs = {}, inputOrder = [];
    bodies.forEach(function (tb) {
      for (var i = 0; i < tb.rows.length; i++) {
        var tr = tb.rows[i], k = rows.length;
        rows.push(tr);
        sev.push(tr.getAttribute("data-sev"));
        rule.push(tr.getAttribute("data-rule"));
        input.push(tr.getAttribute("data-input"));
        if (!(rule[k] in rules)) {
          var rn = tr.querySelector(".rn");
          rules[rule[k]] = rn ? rn.textContent : "";
          ruleOrder.push(rule[k]);
        }
        if (!(input[k] in inputs)) {
          var p = tr.querySelector(".in");
          inputs[input[k]] = p ? p.textContent : input[k];
          inputOrder.push(input[k]);
        }
      }
    });
    var state = { sev: { "3": true, "2": true, "1": true }, rule: "", input: "", page: 0, all: false,
                  order: null };

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
      var c = el("input", { type: "checkbox" });
      c.checked = true;
      c.addEventListener("change", function () { state.sev[s] = c.checked; state.page = 0; apply(); });
      l.appendChild(c);
      l.appendChild(document.createTextNode(" " + { "3": "error", "2": "warning", "1": "info" }[s]));
      fs.appendChild(l);
    });
    controls.appendChild(fs);
    var ruleSel = select("f-rule", "Rule", ruleOrder.sort().map(function (r) { return [r, r + " " + rules[r]]; }));
    var inputSel = select("f-input", "Input", inputOrder.map(function (i) { return [i, inputs[i]]; }));
    var allBox = el("input", { type: "checkbox", id: "f-all" });
    var allLabel = el("label", { "for": "f-all" });
    allLabel.appendChild(allBox);
    allLabel.appendChild(document.createTextNode(" every row on one page"));
    controls.appendChild(allLabel);
    var pager = el("div", { "class": "pager" });
    var prev = el("button", { type: "button" }, "\u2190 Previous");
    var next = el("button", { type: "button" }, "Next \u2192");
    var status = el("span", { role: "status", "aria-live": "polite" });
    pager.appendChild(prev);
    pager.appendChild(status);
    pager.appendChild(next);
    controls.appendChild(pager);

    ruleSel.addEventListener("change", function () { state.rule = ruleSel.value; state.page = 0; apply(); });
    inputSel.addEventListener("change", function () { state.input = inputSel.value; state.page = 0; apply(); });
    allBox.addEventListener("change", function () { state.all = allBox.checked; state.page = 0; apply(); });
    prev.addEventListener("click", function () { state.page--; apply(); });
    next.addEventListener("click", function () { state.page++; apply(); });

    /* rows moved into view go back to their group, in ascending order so positions hold */
    var moved = [];
    function restore() {
      moved.sort(function (a, b) { return a - b; });
      moved.forEach(function (k) {
        var tb = bodies[Math.floor(k / PAGE)];
        tb.insertBefore(rows[k], tb.rows[k % PAGE] || null);
      });
      moved = [];
      view.hidden = true;
    }

    function apply(printing) {
      var all = state.all || printing === true;
      var filtered = !(state.sev["3"] && state.sev["2"] && state.sev["1"]) || state.rule || state.input;
      restore();
      var total, from, to;
      if (!filtered && !state.order) {
        total = rows.length;
        var pages = Math.max(1, bodies.length);
        state.page = Math.max(0, Math.min(state.page, pages - 1));
        bodies.forEach(function (tb, k) { tb.hidden = !all && k !== state.page; });
        from = all ? 0 : state.page * PAGE;
        to = all ? total : Math.min(total, from + PAGE);
      } else {
        var match = [];
        var order = state.order;
        for (var j = 0; j < rows.length; j++) {
          var k = order ? order[j] : j;
          if (state.sev[sev[k]] && (!state.rule || rule[k] === state.rule) &&
              (!state.input || input[k] === state.input))
            match.push(k);
        }
        total = match.length;
        var np = Math.max(1, Math.ceil(total / PAGE));
        state.page = Math.max(0, Math.min(state.page, np - 1));
        from = all ? 0 : state.page * PAGE;
        to = all ? total : Math.min(total, from + PAGE);
        bodies.forEach(function (tb) { tb.hidden = true; });
        var frag = document.createDocumentFragment();
        for (var m = from; m < to; m++) {
          frag.appendChild(rows[match[m]]);
          moved.push(match[m]);
        }
        view.appendChild(frag);
        view.hidden = false;
      }
      prev.disabled = all || from === 0;
      next.disabled = all || to >= total;
      status.textContent = total ?
        "rows " + (from + 1) + "\u2013" + to + " of " + total +
        (total < rows.length ? " (filtered from " + rows.length + ")" : "") :
        "no finding matches";
    }

    var keys = {
      sev: function (k) { return -sev[k]; },
      rule: function (k) { return rule[k]; }
    };
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th) {
      var key = th.getAttribute("data-sort");
      if (!key) return;
      var b = el("button", { type: "button" }, th.textContent);
      th.textContent = "";
      th.appendChild(b);
      b.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
        Array.prototype.forEach.call(heads, function (c) { c.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir > 0 ? "ascending" : "descending");
        var order = rows.map(function (_, k) { return k; });
        var f = keys[key];
        if (f)
          order.sort(function (a, c) {
            var x = f(a), y = f(c);
            return (x < y ? -1 : x > y ? 1 : a - c) * dir;
          });
        else if (dir < 0)
          order.reverse();
        state.order = key === "n" && dir > 0 ? null : order;
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
    /* the groups are now hidden by attribute; the loading rule (.js) can go */
    document.documentElement.className = "";
    controls.hidden = rows.length === 0;
  }
})();
