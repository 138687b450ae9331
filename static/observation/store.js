/* What the observer page keeps on the phone, in IndexedDB: the device token, the last /me
   answer, unfinished answers (drafts) and the queue of filled forms waiting to be sent (with
   their photos as Blobs). Everything survives a reload or a closed browser.

     BirlikStore.get("token")  BirlikStore.set("token", "obs_…")  BirlikStore.remove("token")
     BirlikStore.queue.all()   BirlikStore.queue.put(item)  BirlikStore.queue.remove(key)
     BirlikStore.clear()       (signing out)

   Where IndexedDB is missing (some private windows), a memory store stands in: the page still
   works, but forgets on reload. */
(function (root) {
  "use strict";

  var NAME = "birlik-observer";
  var VERSION = 1;
  var opening = null;

  function promised(request) {
    return new Promise(function (resolve, reject) {
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        if (!root.indexedDB) { reject(new Error("no IndexedDB")); return; }
        var request = root.indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("kv")) db.createObjectStore("kv");
          if (!db.objectStoreNames.contains("queue")) db.createObjectStore("queue", { keyPath: "key" });
        };
        request.onsuccess = function () {
          var db = request.result;
          // Another tab opened a newer version: let it, and open again next time.
          db.onversionchange = function () { db.close(); opening = null; };
          resolve(db);
        };
        request.onerror = function () { reject(request.error); };
        request.onblocked = function () { reject(new Error("IndexedDB blocked")); };
      });
    }
    return opening;
  }

  function run(storeName, mode, action) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(storeName, mode);
        var result;
        promised(action(transaction.objectStore(storeName))).then(function (value) {
          result = value;
        }, reject);
        transaction.oncomplete = function () { resolve(result); };
        transaction.onerror = function () { reject(transaction.error); };
        transaction.onabort = function () { reject(transaction.error); };
      });
    });
  }

  var memory = { kv: {}, queue: {} };

  // Memory only when IndexedDB cannot be opened at all; a failed write is an error for the
  // caller (a form must never look saved when it is not).
  function persistent() {
    return open().then(function () { return true; }, function () { return false; });
  }

  function withFallback(action, fallback) {
    return persistent().then(function (ok) { return ok ? action() : fallback(); });
  }

  root.BirlikStore = {
    persistent: persistent,
    get: function (key) {
      return withFallback(
        function () { return run("kv", "readonly", function (s) { return s.get(key); }); },
        function () { return memory.kv[key]; }
      );
    },
    set: function (key, value) {
      return withFallback(
        function () { return run("kv", "readwrite", function (s) { return s.put(value, key); }); },
        function () { memory.kv[key] = value; }
      );
    },
    remove: function (key) {
      return withFallback(
        function () { return run("kv", "readwrite", function (s) { return s.delete(key); }); },
        function () { delete memory.kv[key]; }
      );
    },
    queue: {
      all: function () {
        return withFallback(
          function () { return run("queue", "readonly", function (s) { return s.getAll(); }); },
          function () { return Object.keys(memory.queue).map(function (k) { return memory.queue[k]; }); }
        ).then(function (items) {
          return (items || []).sort(function (a, b) { return a.created_at - b.created_at; });
        });
      },
      put: function (item) {
        return withFallback(
          function () { return run("queue", "readwrite", function (s) { return s.put(item); }); },
          function () { memory.queue[item.key] = item; }
        );
      },
      remove: function (key) {
        return withFallback(
          function () { return run("queue", "readwrite", function (s) { return s.delete(key); }); },
          function () { delete memory.queue[key]; }
        );
      },
    },
    clear: function () {
      memory = { kv: {}, queue: {} };
      return withFallback(function () {
        return run("kv", "readwrite", function (s) { return s.clear(); }).then(function () {
          return run("queue", "readwrite", function (s) { return s.clear(); });
        });
      }, function () {});
    },
  };
})(self);
