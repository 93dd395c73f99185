// The JS wrapper of the pms WebAssembly packages (index.js): the module users import. It
// exposes the same functions and classes as the wasm-bindgen glue (pms_wasm.js), and makes
// a failure of the module itself recoverable.
//
// The module is built with panic = "abort": a bug in pms that panics, or a trap (a
// WebAssembly.RuntimeError such as "unreachable" or "memory access out of bounds", or the
// engine's stack overflow), leaves the instance unusable. Every call goes through `call`:
// when such a failure escapes the module, the wrapper re-instantiates it from the compiled
// module (the glue's __wbg_reset_state, web and nodejs packages) and throws an InternalError
// (code E9001, kind "internal") naming the call and its input, with the text and shape the
// CLI and Python give an internal error. The next call runs on the fresh instance.
//
// Objects of the old instance (Ruleset, RecordSet) are rebuilt on their next use from the
// arguments that made them (a RecordSet keeps its records argument for this).
//
// Spreadsheet and CSV ledgers are read by a second module, pms_ledgers (crate
// pms-wasm-ledgers), that `ledgers.load` brings in from the package's own files the first
// time checkFiles or renderSummary is given one: synchronously in Node (`ledgers.sync`, the
// API stays synchronous), asynchronously in the web and bundler packages, where those two
// functions therefore return a Promise. The main module says which files are ledgers
// (__pmsLedgerPlan) and checks what the ledger module read (__pmsCheckFiles,
// __pmsRenderSummary); a trap in the ledger module re-instantiates it the same way.
//
// scripts/wasm-wrapper.mjs puts this function between the import of the glue and the
// exports of each package; nothing here touches the network beyond the package's own files.
function pmsRecovering(glue, reset, ledgers) {
  let generation = 0;
  let dead = false; // a failure happened and the module could not be re-instantiated
  const STATE = Symbol("pms.state");

  /** A bug in pms (code E9001), caught at the boundary; pms stays usable. */
  class InternalError extends Error {
    constructor(base, cause) {
      super(base.message, { cause });
      this.name = "InternalError";
      this.kind = "internal";
      this.code = base.code ?? "E9001";
      if (base.help !== undefined) this.help = base.help;
      if (base.helpJa !== undefined) this.helpJa = base.helpJa;
      this.messageJa = base.messageJa ?? base.message;
      this.diagnostics = base.diagnostics ?? [];
    }
  }

  // What leaves the instance unusable: a trap, the panic hook's exception, a stack overflow
  // inside the engine. A PmsError (bad input) or a TypeError of the glue (a bad argument)
  // is not: the module returned normally.
  const fatal = (e) =>
    e instanceof WebAssembly.RuntimeError ||
    (e instanceof Error && e.name === "PmsPanic") ||
    (e instanceof RangeError && /call stack|memory/i.test(e.message));

  const names = (files) => {
    const list = Array.isArray(files) ? files.map((f) => String(f?.name)) : Object.keys(files ?? {});
    const shown = list.slice(0, 5).map((n) => `\`${n}\``).join(", ");
    return list.length > 5 ? `${shown} and ${list.length - 5} more` : shown;
  };

  // The input of a call, as the internal error names it.
  function input(name, args) {
    const a = args[0];
    let what;
    if (/^(render|diff)/.test(name)) what = "a report";
    else if (name === "checkFiles" || name === "renderSummary") what = `the files ${names(a)}`;
    else if (name === "new Ruleset") what = a && typeof a === "object" ? `the rule files ${names(a)}` : "the built-in rules";
    else if (a && a[STATE]) what = "records loaded by loadRecords";
    else if (typeof a === "string") what = "records given as text";
    else if (a && typeof a === "object") what = "records given as an object";
    return what ? `\`${name}\` of ${what}` : `\`${name}\``;
  }

  function internalError(name, args, cause) {
    // The panic hook's text is Rust's "panicked at FILE:LINE:COL:\nMESSAGE": one line here.
    const panic = cause.name === "PmsPanic" && /^panicked at ([^\n]*):\n([\s\S]*)$/.exec(cause.message);
    const why = panic ? `${panic[2]} (at ${panic[1]})` : cause.name === "PmsPanic" ? cause.message : `${cause.name}: ${cause.message}`;
    const where = input(name, args);
    let base;
    try {
      base = dead ? null : glue.__pmsInternalError(where, why);
    } catch {
      base = null;
    }
    base ??= {
      message: `error[E9001]: internal error in pms while handling ${where}: ${why}`,
      messageJa: `error[E9001]: ${where} の処理中に pms の内部エラーが起きた: ${why}`,
      code: "E9001",
      diagnostics: [{ code: "E9001", level: "error", message: `internal error in pms while handling ${where}: ${why}`, message_ja: `${where} の処理中に pms の内部エラーが起きた: ${why}` }],
    };
    return new InternalError(base, cause);
  }

  function recover() {
    if (!reset) {
      dead = true;
      return;
    }
    try {
      reset();
      dead = false;
    } catch {
      dead = true; // retried at the next call
    }
    generation++;
  }

  function call(name, args, run) {
    if (dead && !reset) {
      // A broken instance could run on with a corrupt state: refuse rather than answer wrongly.
      throw internalError(name, args, new Error("the WebAssembly module stopped at an earlier internal error and this package (bundler) cannot re-instantiate it: reload it"));
    }
    if (dead) recover();
    try {
      return run();
    } catch (e) {
      if (!fatal(e)) throw e;
      recover();
      throw internalError(name, args, e);
    }
  }

  // Objects of the glue's classes, rebuilt on the current instance when it was replaced.
  const wrappers = new Map();
  function live(w) {
    const s = w[STATE];
    if (!s.freed && s.generation !== generation) {
      s.inner = s.make();
      s.generation = generation;
    }
    return s.inner;
  }
  const unwrap = (args) => args.map((a) => (a && a[STATE] ? live(a) : a));
  function adopt(value, make) {
    const W = value && wrappers.get(Object.getPrototypeOf(value));
    if (!W) return value;
    const w = Object.create(W.prototype);
    w[STATE] = { inner: value, make, generation, freed: false };
    return w;
  }

  function wrapClass(name, Glue) {
    const W = class {
      constructor(...args) {
        const make = () => new Glue(...unwrap(args));
        this[STATE] = { inner: call(`new ${name}`, args, make), make, generation, freed: false };
      }
    };
    Object.defineProperty(W, "name", { value: name });
    for (const key of Object.getOwnPropertyNames(Glue.prototype)) {
      if (key === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(Glue.prototype, key);
      if (key === "free") {
        W.prototype.free = function free() {
          const s = this[STATE];
          if (!s.freed && s.generation === generation) s.inner.free();
          s.freed = true;
        };
      } else if (typeof d.value === "function") {
        W.prototype[key] = function (...args) {
          const run = () => live(this)[key](...unwrap(args));
          return call(`${name}.${key}`, args, () => adopt(run(), run));
        };
      } else if (d.get) {
        Object.defineProperty(W.prototype, key, { get() { return call(`${name}.${key}`, [], () => live(this)[key]); } });
      }
    }
    if (typeof Symbol.dispose === "symbol") W.prototype[Symbol.dispose] = W.prototype.free;
    wrappers.set(Glue.prototype, W);
    return W;
  }

  // The ledger module, loaded on first use (a Promise of it in the web and bundler packages).
  let reader = null;
  function readLedgers(mod, name, files, plan) {
    try {
      return mod.readLedgers(plan.files, plan.maxInputSize);
    } catch (e) {
      if (!fatal(e)) throw e;
      try {
        mod.__wbg_reset_state();
      } catch {
        reader = null; // loaded again at the next call
      }
      throw internalError(name, [files], e);
    }
  }
  // checkFiles and renderSummary: `run(imported)` calls the main module with what the ledger
  // module read of the ledgers among `files` (undefined when there are none).
  function withLedgers(name, files, opts, run) {
    const finish = (imported) => call(name, [files], () => run(imported));
    const plan = () => call(name, [files], () => glue.__pmsLedgerPlan(files, opts));
    if (ledgers.sync) {
      const p = plan();
      if (p === undefined) return finish(undefined);
      reader ??= ledgers.load();
      return finish(readLedgers(reader, name, files, p));
    }
    return (async () => {
      const p = plan();
      if (p === undefined) return finish(undefined);
      reader ??= ledgers.load().catch((e) => {
        reader = null;
        throw e;
      });
      return finish(readLedgers(await reader, name, files, p));
    })();
  }

  const api = { InternalError };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith("__") || ["default", "initSync", "start"].includes(name) || typeof value !== "function") continue;
    if (value.prototype && typeof value.prototype.free === "function") {
      api[name] = wrapClass(name, value);
    } else {
      api[name] = (...args) => {
        const run = () => glue[name](...unwrap(args));
        return call(name, args, () => adopt(run(), run));
      };
      Object.defineProperty(api[name], "name", { value: name });
    }
  }
  api.checkFiles = function checkFiles(files, opts) {
    return withLedgers("checkFiles", files, opts, (imported) =>
      imported === undefined ? glue.checkFiles(files, opts) : glue.__pmsCheckFiles(files, opts, imported));
  };
  api.renderSummary = function renderSummary(files, form, format, opts) {
    return withLedgers("renderSummary", files, opts, (imported) =>
      imported === undefined
        ? glue.renderSummary(files, form, format, opts)
        : glue.__pmsRenderSummary(files, form, format, opts, imported));
  };
  return api;
}
