/* Common Ground, resident survey page: follow-up questions appear as the resident answers, and
 * an exclusive choice ("None of these") clears the others.
 *
 * Only adds to the page; without it the server shows the page again with the new question, and
 * refuses an exclusive choice ticked with others. A condition comes as data: the parsed tree from
 * app/surveydef/relevance.py (Expression.to_json) in data-relevant, evaluated here with the same
 * rules as the server (a missing answer is null; <, > and `in` with null are false). Nothing is
 * parsed or eval'ed. The server stays the judge of what is stored. No framework.
 */
(function () {
  "use strict";
  var form = document.querySelector("form[method=post]");
  if (!form || !window.JSON) { return; }

  // Exclusive choices: ticking one clears the rest of its group, and ticking another clears it.
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox" || !box.checked) { return; }
    var group = form.querySelectorAll("input[type=checkbox][name='" + box.name + "']");
    for (var i = 0; i < group.length; i++) {
      var other = group[i];
      if (other !== box && (box.hasAttribute("data-exclusive") || other.hasAttribute("data-exclusive"))) {
        other.checked = false;
      }
    }
  });

  var blocks = form.querySelectorAll("[data-relevant]");
  // The browser tests hold these rules against the server's, case by case.
  window.cgRelevant = function (tree, answers) { return truthy(evaluate(tree, answers)); };
  if (!blocks.length) { return; }
  var known = JSON.parse(form.getAttribute("data-known") || "{}");
  var types = JSON.parse(form.getAttribute("data-types") || "{}");

  // A number as typed: digits with at most one decimal mark; anything unclear is "no answer".
  function number(text) {
    text = text.replace(/[\s\u00a0\u202f]/g, "");
    if (!/^[+\-]?\d*([.,]\d+)?$/.test(text) || !/\d/.test(text) || /^[+\-]?\d{1,3}[.,]\d{3}$/.test(text)) {
      return null;
    }
    return parseFloat(text.replace(",", "."));
  }

  function value(key) {
    var type = types[key];
    var inputs = form.querySelectorAll("[name='" + key + "']");
    if (type === "ranking") {
      var picks = [];
      for (var n = 1; form.elements[key + "__" + n]; n++) {
        if (form.elements[key + "__" + n].value) { picks.push(form.elements[key + "__" + n].value); }
      }
      return picks;
    }
    if (type === "multiple_choice" || type === "stakeholders") {
      var ticked = [];
      for (var i = 0; i < inputs.length; i++) { if (inputs[i].checked) { ticked.push(inputs[i].value); } }
      return ticked;
    }
    if (inputs.length && (inputs[0].type === "radio")) {
      var checked = form.querySelector("[name='" + key + "']:checked");
      if (!checked) { return null; }
      if (type === "rating") { return Number(checked.value); }
      if (type === "yes_no") { return checked.value === "yes"; }
      return checked.value;
    }
    var text = inputs.length ? inputs[0].value.trim() : "";
    if (!text) { return null; }
    return type === "number" ? number(text) : text;
  }

  function same(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) {
      return a.length === b.length && a.every(function (x, i) { return same(x, b[i]); });
    }
    return a === b;
  }

  function compare(op, left, right) {
    if (op === "in" || op === "not in") {
      var found = left !== null && (Array.isArray(right) ? right.some(function (x) { return same(x, left); })
        : typeof right === "string" && typeof left === "string" && right.indexOf(left) >= 0);
      return op === "in" ? found : (right !== null && !found);
    }
    if (op === "==" || op === "!=") { return same(left, right) === (op === "=="); }
    if (left === null || right === null || typeof left !== typeof right) { return false; }
    if (typeof left !== "number" && typeof left !== "string") { return false; }
    return op === "<" ? left < right : op === "<=" ? left <= right : op === ">" ? left > right : left >= right;
  }

  function evaluate(node, answers) {
    if (node.and) { return node.and.every(function (n) { return truthy(evaluate(n, answers)); }); }
    if (node.or) { return node.or.some(function (n) { return truthy(evaluate(n, answers)); }); }
    if ("not" in node) { return !truthy(evaluate(node.not, answers)); }
    if (node.cmp) {
      for (var i = 0; i < node.cmp.length; i++) {
        if (!compare(node.cmp[i], evaluate(node.args[i], answers), evaluate(node.args[i + 1], answers))) {
          return false;
        }
      }
      return true;
    }
    if ("var" in node) { return node["var"] in answers ? answers[node["var"]] : null; }
    return node.lit;
  }

  function truthy(x) { return Array.isArray(x) ? x.length > 0 : !!x; }

  // In page order, as the server does: a hidden question's answer counts as no answer.
  function update() {
    var answers = {};
    for (var key in known) { answers[key] = known[key]; }
    for (key in types) { answers[key] = value(key); }
    for (var i = 0; i < blocks.length; i++) {
      var block = blocks[i];
      var on = truthy(evaluate(JSON.parse(block.getAttribute("data-relevant")), answers));
      var marker = block.querySelector("input[name=shown]");
      if (!on) { answers[marker.value] = null; }
      block.hidden = !on;
      marker.disabled = !on;
    }
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
