// The trace viewer: steps forward and back through a trace of data/ (or a file the reader opens) and shows, for
// the current step, the process that took it and the lane it acted on, the step's kernel function, and every
// variable's value by lane, the ones the step changed marked with their old value. The breaking step (a lasso:
// its loop; a correct run: the step that reaches its goal) is marked, with the reason it breaks.
// URL parameters: trace=NAME, step=K, press=Right,Right,Left (keys pressed after loading, for tests).
"use strict";
(function () {
  var $ = function (id) { return document.getElementById(id); };
  var trace = null, step = 0;

  function fail(msg) {
    document.body.setAttribute("data-error", msg);
    $("error").textContent = msg;
  }
  window.addEventListener("error", function (e) { fail("viewer error: " + e.message); });
  window.addEventListener("unhandledrejection", function (e) { fail("viewer error: " + (e.reason && e.reason.message || e.reason)); });

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  // the value of every cell at step k: the initial values with steps 1..k applied
  function valuesAt(k) {
    var v = {}, id;
    for (id in trace.init) v[id] = trace.init[id];
    for (var j = 0; j < k; j++) trace.steps[j].changes.forEach(function (c) {
      if (c[2] === null) delete v[c[0]]; else v[c[0]] = c[2];
    });
    return v;
  }

  function laneIds() { return trace.lanes.map(function (l) { return l.id; }); }

  function show(t) {
    trace = t;
    document.body.className = t.kind;
    document.body.setAttribute("data-trace", t.name);
    $("title").textContent = t.title;
    $("model").textContent = "Model " + t.model + ": " + t.modelDoc;
    $("variant").textContent = "Variant: " + t.variant;
    $("verdict").textContent = (t.kind === "run" ? "\u2713 " : "\u2717 ") + t.verdict;
    $("evidence").textContent = "";
    t.evidence.concat(t.story).forEach(function (s) { $("evidence").appendChild(el("li", "", s)); });
    $("reason").textContent = (t.kind === "run" ? "\u2713 " : "\u2717 ") + t.verdict;
    var heads = $("heads");
    heads.textContent = "";
    t.lanes.forEach(function (l) {
      var th = el("th", "lane-head", l.label);
      th.setAttribute("data-lane", l.id);
      th.setAttribute("data-kind", l.kind);
      heads.appendChild(th);
    });
    var list = $("steps");
    list.textContent = "";
    for (var k = 0; k <= t.last; k++) {
      var s = k === 0 ? null : t.steps[k - 1];
      var li = el("li", "step", k === 0 ? "0. the initial state" : s.head.replace(/^(\d+)\. /, "$1. " + s.proc + " "));
      li.setAttribute("data-step", k);
      if (k === t.breaking) li.classList.add("breaking");
      if (t.loop !== null && (k > t.loop || (k === t.last && t.loop === t.last))) li.classList.add("loop");
      li.addEventListener("click", (function (k) { return function () { go(k); }; })(k));
      list.appendChild(li);
    }
    go(0);
  }

  function go(k) {
    if (!trace) return;
    step = Math.max(0, Math.min(trace.last, k));
    var s = step === 0 ? null : trace.steps[step - 1];
    // a lasso breaks in its loop: steps loop+1..last, or the last state when it repeats itself
    var isBreak = step === trace.breaking || (trace.loop !== null && step >= Math.min(trace.loop + 1, trace.last) && step > 0);
    document.body.classList.toggle("breaking", isBreak && trace.kind !== "run");
    document.body.classList.toggle("reached", isBreak && trace.kind === "run");
    $("reason").classList.toggle("shown", isBreak);
    $("position").textContent = "step " + step + " of " + trace.last;
    document.body.setAttribute("data-step", step);
    Array.prototype.forEach.call(document.querySelectorAll("#steps li"), function (li) {
      li.classList.toggle("current", Number(li.getAttribute("data-step")) === step);
    });
    Array.prototype.forEach.call(document.querySelectorAll("th.lane-head"), function (th) {
      var id = th.getAttribute("data-lane");
      th.classList.toggle("actor", !!s && s.proc === id);
      th.classList.toggle("target", !!s && s.target === id && s.proc !== id);
    });
    var acts = $("acts"), states = $("states"), ids = laneIds();
    acts.textContent = "";
    states.textContent = "";
    var changed = {};
    if (s) s.changes.forEach(function (c) { changed[c[0]] = c[1]; });
    var values = valuesAt(step), byLane = {};
    ids.forEach(function (id) { byLane[id] = []; });
    trace.cells.forEach(function (c) { if (c.id in values && byLane[c.lane]) byLane[c.lane].push(c); });
    ids.forEach(function (id) {
      var td = el("td", "act");
      td.setAttribute("data-lane", id);
      if (s && s.proc === id) {
        var now = el("div", "now");
        now.setAttribute("data-step", step);
        now.appendChild(el("div", "head", s.head + (s.target !== s.proc ? "  \u2192 " + s.target : "")));
        now.appendChild(el("div", "kernel", s.kernel));
        td.appendChild(now);
      } else if (s && s.target === id) {
        td.appendChild(el("div", "arrow", "\u2190 acted on by " + s.proc));
      }
      acts.appendChild(td);
      var st = el("td", "state");
      st.setAttribute("data-lane", id);
      byLane[id].forEach(function (c) {
        var d = el("div", "cell");
        d.setAttribute("data-cell", c.id);
        d.setAttribute("data-var", c.var);
        d.appendChild(el("span", "name", c.name + ": "));
        if (c.id in changed) {
          d.classList.add("changed");
          d.appendChild(el("span", "was", changed[c.id] === null ? "(none)" : changed[c.id]));
        }
        d.appendChild(el("span", "value", values[c.id]));
        st.appendChild(d);
      });
      states.appendChild(st);
    });
  }

  function load(name) {
    var have = window.MMU_TRACES && window.MMU_TRACES[name];
    if (have) return Promise.resolve(have);
    return new Promise(function (resolve, reject) {
      var sc = document.createElement("script");
      sc.src = "data/" + encodeURIComponent(name) + ".js";
      sc.onload = function () {
        if (window.MMU_TRACES && window.MMU_TRACES[name]) resolve(window.MMU_TRACES[name]);
        else reject(new Error("data/" + name + ".js holds no trace " + name));
      };
      sc.onerror = function () { reject(new Error("no trace " + name + " (data/" + name + ".js is missing)")); };
      document.head.appendChild(sc);
    });
  }

  function key(name) {
    if (name === "ArrowRight" || name === "Right") go(step + 1);
    else if (name === "ArrowLeft" || name === "Left") go(step - 1);
    else if (name === "Home") go(0);
    else if (name === "End") go(trace.last);
  }

  document.addEventListener("keydown", function (e) { key(e.key); });
  $("first").onclick = function () { go(0); };
  $("prev").onclick = function () { go(step - 1); };
  $("next").onclick = function () { go(step + 1); };
  $("last").onclick = function () { go(trace.last); };
  $("tobreak").onclick = function () { go(trace.breaking >= 0 ? trace.breaking : Math.min(trace.loop + 1, trace.last)); };
  // a file the reader opens must be what `bin/mmu-check diagram TRACE --json` writes; anything else is refused
  // on the page with what was expected and what the file lacks, and the trace shown before stays
  var EXPECTED = "expected a trace as `bin/mmu-check diagram TRACE --json -o mine.json` writes it";
  function isString(v) { return typeof v === "string"; }
  function isStep(v) { return Number.isInteger(v) && v >= -1; }
  function arrayOf(ok) { return function (v) { return Array.isArray(v) && v.every(function (x) { return x !== null && ok(x); }); }; }
  function shapeProblems(t) {
    if (t === null || typeof t !== "object" || Array.isArray(t))
      return ["it holds " + (t === null ? "null" : Array.isArray(t) ? "an array" : "a " + typeof t) + ", not a JSON object"];
    var out = [];
    function need(field, ok, what) {
      if (!(field in t)) out.push("no \"" + field + "\" (" + what + ")");
      else if (!ok(t[field])) out.push("\"" + field + "\" is not " + what);
    }
    ["name", "title", "model", "modelDoc", "variant", "verdict"].forEach(function (f) { need(f, isString, "a string"); });
    need("kind", function (v) { return v === "counterexample" || v === "run"; }, "\"counterexample\" or \"run\"");
    need("evidence", arrayOf(isString), "an array of strings");
    need("story", arrayOf(isString), "an array of strings");
    need("lanes", arrayOf(function (l) { return isString(l.id) && isString(l.label) && isString(l.kind); }),
         "an array of lanes, each with an id, a kind and a label");
    need("cells", arrayOf(function (c) { return isString(c.id) && isString(c.var) && isString(c.name) && isString(c.lane); }),
         "an array of cells, each with an id, a var, a name and a lane");
    need("init", function (v) { return v !== null && typeof v === "object" && !Array.isArray(v); }, "an object of the cells' initial values");
    need("steps", arrayOf(function (s) {
      return isString(s.proc) && isString(s.target) && isString(s.head) && isString(s.kernel)
          && arrayOf(function (c) { return Array.isArray(c) && c.length === 3 && isString(c[0]); })(s.changes);
    }), "an array of steps, each with a proc, a target, a head, a kernel and its changes as [cell, old, new]");
    need("last", function (v) { return Array.isArray(t.steps) && v === t.steps.length; }, "the number of steps");
    need("breaking", function (v) { return isStep(v) && v <= t.last; }, "a step number (-1: none) up to last");
    need("loop", function (v) { return v === null || (isStep(v) && v >= 0 && v <= t.last); }, "null or a step number up to last");
    if (out.length === 0 && t.breaking < 0 && t.loop === null) out.push("neither \"breaking\" nor \"loop\" names a step");
    return out;
  }
  $("file").onchange = function () {
    var f = this.files[0];
    if (!f) return;
    var r = new FileReader();
    r.onerror = function () { fail(f.name + ": cannot read the file (" + (r.error && r.error.message) + "); " + EXPECTED); };
    r.onload = function () {
      var t;
      try {
        t = JSON.parse(r.result);
      } catch (e) {
        fail(f.name + ": not JSON (" + e.message + "); " + EXPECTED);
        return;
      }
      if (t && t["#meta"] && t.states) {
        fail(f.name + ": an ITF trace: convert it first with `bin/mmu-check diagram " + f.name + " --json -o mine.json` and open mine.json");
        return;
      }
      var problems = shapeProblems(t);
      if (problems.length) {
        fail(f.name + ": not a trace the viewer can show: " + problems.join("; ") + "; " + EXPECTED);
        return;
      }
      document.body.removeAttribute("data-error");
      $("error").textContent = "";
      try {
        show(t);
      } catch (e) { fail(f.name + ": cannot show it: " + e.message + "; " + EXPECTED); }
    };
    r.readAsText(f);
  };

  var index = window.MMU_INDEX || [];
  var sel = $("trace"), groups = {counterexample: el("optgroup"), run: el("optgroup")};
  groups.counterexample.label = "counterexamples";
  groups.run.label = "correct runs";
  index.forEach(function (e) {
    var o = el("option", "", e.title);
    o.value = e.name;
    groups[e.kind].appendChild(o);
  });
  sel.appendChild(groups.counterexample);
  sel.appendChild(groups.run);
  sel.onchange = function () { load(sel.value).then(show, function (e) { fail(e.message); }); };

  var params = new URLSearchParams(location.search);
  var first = params.get("trace") || (index.length ? index[0].name : null);
  if (!first) { fail("no traces: data/index.js lists none"); return; }
  sel.value = first;
  load(first).then(function (t) {
    show(t);
    if (params.get("step") !== null) go(Number(params.get("step")));
    (params.get("press") || "").split(",").filter(Boolean).forEach(function (k) {
      document.dispatchEvent(new KeyboardEvent("keydown", {key: k}));
    });
    document.body.setAttribute("data-ready", "yes");
  }, function (e) { fail(e.message); }).catch(function (e) { fail("viewer error: " + e.message); });
})();
