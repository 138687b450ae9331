/* The expression language of Birlik's forms (questionnaires/expressions.py), evaluated on the
   phone so that skip logic and cross-answer rules work offline. Same grammar, same answers:
   tests/browser/test_observer_expressions.py runs one table of cases through both.

     BirlikExpressions.isTrue("A1 == no and B2 <= B1", answers)   -> true / false
     BirlikExpressions.isUnknown("B2 <= B1", answers)             -> true when an answer is missing

   Python semantics kept: `and`/`or`/`not` are three-valued (an ordering comparison with a
   missing answer, or a bare unanswered question, is "unknown"), [] and "" are false,
   1 == true, lists compare item by item, arithmetic works on numbers only. */
(function (root) {
  "use strict";

  var UNKNOWN = { toString: function () { return "UNKNOWN"; } };
  var CONSTANTS = { yes: true, no: false, "true": true, "false": false };
  var KEYWORDS = { and: 1, or: 1, not: 1, "in": 1, is: 1, None: 1, lambda: 1, "if": 1, "else": 1 };
  var NAME = /^[A-Za-z][A-Za-z0-9_]{0,29}$/;
  var MAX_DEPTH = 100;
  var MAX_LIST = 100;

  function ExpressionError(message) {
    this.name = "ExpressionError";
    this.message = message;
  }
  ExpressionError.prototype = Object.create(Error.prototype);

  // --- Reading -----------------------------------------------------------------------------

  function tokenize(text) {
    var tokens = [];
    var i = 0;
    while (i < text.length) {
      var ch = text[i];
      if (/\s/.test(ch)) { i += 1; continue; }
      var rest = text.slice(i);
      var match = /^(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?/.exec(rest);
      if (match) {
        tokens.push({ type: "number", value: parseFloat(match[0]), text: match[0] });
        i += match[0].length;
        continue;
      }
      match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest);
      if (match) {
        var word = match[0];
        var next = text[i + word.length];
        if ((next === "'" || next === '"') && /^[rRbBfFuU]{1,2}$/.test(word)) {
          throw new ExpressionError("unsupported value");
        }
        tokens.push({ type: KEYWORDS[word] ? "keyword" : "name", value: word });
        i += word.length;
        continue;
      }
      if (ch === "'" || ch === '"') {
        var value = "";
        var j = i + 1;
        while (j < text.length && text[j] !== ch) {
          if (text[j] === "\\" && j + 1 < text.length) {
            var escaped = text[j + 1];
            value += { n: "\n", t: "\t", "\\": "\\", "'": "'", '"': '"' }[escaped] || "\\" + escaped;
            j += 2;
          } else {
            value += text[j];
            j += 1;
          }
        }
        if (j >= text.length) throw new ExpressionError("syntax error at position " + (i + 1));
        tokens.push({ type: "string", value: value });
        i = j + 1;
        continue;
      }
      match = /^(==|!=|<=|>=|\*\*|\/\/|[<>+\-*\/(),\[\]%=!@&|^~.:;{}])/.exec(rest);
      if (!match) throw new ExpressionError("syntax error at position " + (i + 1));
      tokens.push({ type: "op", value: match[0] });
      i += match[0].length;
    }
    tokens.push({ type: "end", value: "" });
    return tokens;
  }

  function Parser(text) {
    this.tokens = tokenize(text);
    this.position = 0;
    this.names = {};
  }

  Parser.prototype.peek = function () { return this.tokens[this.position]; };
  Parser.prototype.take = function () { return this.tokens[this.position++]; };
  Parser.prototype.is = function (type, value) {
    var token = this.peek();
    return token.type === type && (value === undefined || token.value === value);
  };
  Parser.prototype.expect = function (type, value) {
    if (!this.is(type, value)) throw new ExpressionError("syntax error");
    return this.take();
  };

  Parser.prototype.parse = function () {
    var node = this.or();
    if (!this.is("end")) throw new ExpressionError("syntax error");
    return node;
  };

  Parser.prototype.or = function () {
    var parts = [this.and()];
    while (this.is("keyword", "or")) { this.take(); parts.push(this.and()); }
    return parts.length === 1 ? parts[0] : { kind: "or", parts: parts };
  };

  Parser.prototype.and = function () {
    var parts = [this.not()];
    while (this.is("keyword", "and")) { this.take(); parts.push(this.not()); }
    return parts.length === 1 ? parts[0] : { kind: "and", parts: parts };
  };

  Parser.prototype.not = function () {
    if (this.is("keyword", "not")) { this.take(); return { kind: "not", operand: this.not() }; }
    return this.comparison();
  };

  Parser.prototype.comparison = function () {
    var left = this.sum();
    var steps = [];
    for (;;) {
      var token = this.peek();
      var op = null;
      if (token.type === "op" && /^(==|!=|<|<=|>|>=)$/.test(token.value)) {
        op = token.value;
        this.take();
      } else if (token.type === "keyword" && token.value === "in") {
        op = "in";
        this.take();
      } else if (token.type === "keyword" && token.value === "not" &&
                 this.tokens[this.position + 1].type === "keyword" &&
                 this.tokens[this.position + 1].value === "in") {
        op = "not in";
        this.position += 2;
      } else if (token.type === "keyword" && token.value === "is") {
        throw new ExpressionError("unsupported comparison");
      } else {
        break;
      }
      steps.push({ op: op, right: this.sum() });
    }
    return steps.length ? { kind: "compare", left: left, steps: steps } : left;
  };

  Parser.prototype.sum = function () {
    var node = this.term();
    while (this.is("op", "+") || this.is("op", "-")) {
      var op = this.take().value;
      node = { kind: "arith", op: op, left: node, right: this.term() };
    }
    return node;
  };

  Parser.prototype.term = function () {
    var node = this.unary();
    for (;;) {
      if (this.is("op", "*") || this.is("op", "/")) {
        var op = this.take().value;
        node = { kind: "arith", op: op, left: node, right: this.unary() };
      } else if (this.is("op", "//") || this.is("op", "%") || this.is("op", "@")) {
        // Valid Python, but not in this language.
        this.take();
        this.unary();
        throw new ExpressionError("unsupported operator; use + - * /");
      } else {
        return node;
      }
    }
  };

  Parser.prototype.unary = function () {
    if (this.is("op", "-") || this.is("op", "+")) {
      var sign = this.take().value === "-" ? -1 : 1;
      return { kind: "sign", sign: sign, operand: this.unary() };
    }
    if (this.is("op", "~")) {
      this.take();
      this.unary();
      throw new ExpressionError("this operator is not allowed");
    }
    var node = this.atom();
    if (this.is("op", "**")) throw new ExpressionError("unsupported operator; use + - * /");
    return node;
  };

  Parser.prototype.items = function (closing) {
    var items = [];
    var tuple = false;
    while (!this.is("op", closing)) {
      items.push(this.or());
      if (this.is("op", ",")) { this.take(); tuple = true; } else break;
    }
    this.expect("op", closing);
    return { items: items, tuple: tuple };
  };

  Parser.prototype.atom = function () {
    var token = this.take();
    if (token.type === "number") return { kind: "constant", value: token.value };
    if (token.type === "string") return { kind: "constant", value: token.value };
    if (token.type === "keyword" && token.value === "None") {
      throw new ExpressionError("unsupported value None");
    }
    if (token.type === "name") {
      if (this.is("op", "(")) {
        this.take();
        var call = this.items(")");
        var arity = { selected: 2, answered: 1, count: 1 }[token.value];
        if (!arity) throw new ExpressionError("unknown function; use selected(), answered() or count()");
        if (call.items.length !== arity) {
          throw new ExpressionError(token.value + "() takes " + arity + " argument(s)");
        }
        return { kind: "call", name: token.value, args: call.items };
      }
      var lower = token.value.toLowerCase();
      if (Object.prototype.hasOwnProperty.call(CONSTANTS, lower)) {
        return { kind: "constant", value: CONSTANTS[lower] };
      }
      if (!NAME.test(token.value)) throw new ExpressionError("not a question code");
      this.names[token.value] = true;
      return { kind: "name", name: token.value };
    }
    if (token.type === "op" && token.value === "(") {
      if (this.is("op", ")")) { this.take(); return { kind: "list", items: [] }; }
      var group = this.items(")");
      if (group.tuple) return listNode(group.items);
      return group.items[0];
    }
    if (token.type === "op" && token.value === "[") return listNode(this.items("]").items);
    throw new ExpressionError("syntax error");
  };

  function listNode(items) {
    if (items.length > MAX_LIST) throw new ExpressionError("the list is too long");
    return { kind: "list", items: items };
  }

  function children(node) {
    switch (node.kind) {
      case "list": return node.items;
      case "and": case "or": return node.parts;
      case "not": case "sign": return [node.operand];
      case "arith": return [node.left, node.right];
      case "compare": return [node.left].concat(node.steps.map(function (step) { return step.right; }));
      case "call": return node.args;
      default: return [];
    }
  }

  function checkDepth(node, depth) {
    if (depth > MAX_DEPTH) throw new ExpressionError("the expression is nested too deeply");
    children(node).forEach(function (child) { checkDepth(child, depth + 1); });
  }

  // --- Python's values ---------------------------------------------------------------------

  function missing(value) { return value === null || value === undefined || value === UNKNOWN; }

  function truthy(value) {
    if (value === null || value === undefined || value === UNKNOWN) return false;
    if (Array.isArray(value)) return value.length > 0;
    if (typeof value === "string") return value.length > 0;
    if (typeof value === "number") return value !== 0;
    return Boolean(value);
  }

  function isNumeric(value) { return typeof value === "number" || typeof value === "boolean"; }

  function isNumber(value) { return typeof value === "number"; }

  // A value used as a condition: true, false or UNKNOWN (an unanswered question).
  function truth(value) { return missing(value) ? UNKNOWN : truthy(value); }

  function pyStr(value) {
    if (value === true) return "True";
    if (value === false) return "False";
    if (value === null || value === undefined) return "None";
    return String(value);
  }

  function equal(a, b) {
    if (isNumeric(a) && isNumeric(b)) return Number(a) === Number(b);
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      for (var i = 0; i < a.length; i += 1) if (!equal(a[i], b[i])) return false;
      return true;
    }
    if (a === undefined) a = null;
    if (b === undefined) b = null;
    return a === b;
  }

  // -1, 0, 1, or null when Python would raise TypeError.
  function order(a, b) {
    if (isNumeric(a) && isNumeric(b)) {
      return Number(a) < Number(b) ? -1 : Number(a) > Number(b) ? 1 : 0;
    }
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    if (Array.isArray(a) && Array.isArray(b)) {
      for (var i = 0; i < Math.min(a.length, b.length); i += 1) {
        if (equal(a[i], b[i])) continue;
        return order(a[i], b[i]);
      }
      return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
    }
    return null;
  }

  function contains(left, right) {
    if (Array.isArray(right)) {
      for (var i = 0; i < right.length; i += 1) if (equal(left, right[i])) return true;
      return false;
    }
    if (typeof right === "string") {
      return typeof left === "string" ? right.indexOf(left) !== -1 : UNKNOWN;
    }
    return UNKNOWN;
  }

  function compareStep(op, a, b) {
    switch (op) {
      case "==": return equal(a, b);
      case "!=": return !equal(a, b);
      case "in":
        if (b === null || b === undefined) return UNKNOWN;
        return contains(a, b);
      case "not in": {
        if (b === null || b === undefined) return UNKNOWN;
        var found = contains(a, b);
        return found === UNKNOWN ? UNKNOWN : !found;
      }
      default: {
        var sign = order(a, b);
        if (sign === null) return UNKNOWN;
        if (op === "<") return sign < 0;
        if (op === "<=") return sign <= 0;
        if (op === ">") return sign > 0;
        return sign >= 0;
      }
    }
  }

  function arithmetic(op, a, b) {
    // Numbers only, as on the server.
    if (!isNumber(a) || !isNumber(b)) return UNKNOWN;
    if (op === "+") return a + b;
    if (op === "-") return a - b;
    if (op === "*") return a * b;
    return b !== 0 ? a / b : UNKNOWN;
  }

  var FUNCTIONS = {
    selected: function (value, option) {
      if (value === null || value === undefined) return false;
      if (typeof value === "boolean") return CONSTANTS[pyStr(option).toLowerCase()] === value;
      if (Array.isArray(value)) {
        return value.some(function (item) { return pyStr(item) === pyStr(option); });
      }
      return pyStr(value) === pyStr(option);
    },
    answered: function (value) {
      return !(value === null || value === undefined || value === "" ||
               (Array.isArray(value) && value.length === 0));
    },
    count: function (value) {
      if (value === null || value === undefined) return 0;
      return Array.isArray(value) ? value.length : 1;
    },
  };

  // --- Evaluating --------------------------------------------------------------------------

  function run(node, answers) {
    switch (node.kind) {
      case "constant": return node.value;
      case "name": {
        var value = Object.prototype.hasOwnProperty.call(answers, node.name) ? answers[node.name] : null;
        return value === undefined ? null : value;
      }
      case "list": return node.items.map(function (item) { return run(item, answers); });
      case "and": {
        var unknownAnd = false;
        for (var i = 0; i < node.parts.length; i += 1) {
          var part = truth(run(node.parts[i], answers));
          if (part === UNKNOWN) unknownAnd = true;
          else if (!truthy(part)) return false;
        }
        return unknownAnd ? UNKNOWN : true;
      }
      case "or": {
        var unknownOr = false;
        for (var k = 0; k < node.parts.length; k += 1) {
          var alternative = truth(run(node.parts[k], answers));
          if (alternative === UNKNOWN) unknownOr = true;
          else if (truthy(alternative)) return true;
        }
        return unknownOr ? UNKNOWN : false;
      }
      case "not": {
        var operand = truth(run(node.operand, answers));
        return operand === UNKNOWN ? UNKNOWN : !operand;
      }
      case "sign": {
        var number = run(node.operand, answers);
        return isNumber(number) ? node.sign * number : UNKNOWN;
      }
      case "arith":
        return arithmetic(node.op, run(node.left, answers), run(node.right, answers));
      case "compare": {
        var a = run(node.left, answers);
        for (var s = 0; s < node.steps.length; s += 1) {
          var step = node.steps[s];
          var b = run(step.right, answers);
          if (a === UNKNOWN || b === UNKNOWN) return UNKNOWN;
          var ordering = step.op !== "==" && step.op !== "!=";
          if (ordering && (a === null || b === null)) return UNKNOWN;
          var outcome = compareStep(step.op, a, b);
          if (!truthy(outcome)) return outcome;
          a = b;
        }
        return true;
      }
      case "call":
        return FUNCTIONS[node.name].apply(null, node.args.map(function (arg) {
          return run(arg, answers);
        }));
      default:
        throw new ExpressionError("unsupported syntax");
    }
  }

  var compiled = {};

  function compile(text) {
    if (typeof text !== "string" || !text.trim()) throw new ExpressionError("the expression is empty");
    if (text.length > 1000) throw new ExpressionError("the expression is too long");
    if (!Object.prototype.hasOwnProperty.call(compiled, text)) {
      var parser = new Parser(text.trim());
      var tree = parser.parse();
      checkDepth(tree, 1);
      compiled[text] =  { tree: tree, names: Object.keys(parser.names) };
    }
    return compiled[text];
  }

  // A bare unanswered question comes out as UNKNOWN.
  function evaluate(text, answers) {
    var value = run(compile(text).tree, answers || {});
    return value === null || value === undefined ? UNKNOWN : value;
  }

  root.BirlikExpressions = {
    UNKNOWN: UNKNOWN,
    ExpressionError: ExpressionError,
    compile: compile,
    evaluate: evaluate,
    names: function (text) { return compile(text).names.slice(); },
    isTrue: function (text, answers) {
      var value = evaluate(text, answers);
      return value !== UNKNOWN && truthy(value);
    },
    isUnknown: function (text, answers) { return evaluate(text, answers) === UNKNOWN; },
  };
})(typeof self !== "undefined" ? self : this);
