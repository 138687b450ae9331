{% autoescape off %}/* Birlik observer page: service worker (rendered by observation.views.service_worker).

   Keeps the page, its static files and the last answer of GET /me, so that the page opens and
   shows the observer's stations and forms without a connection. The page itself queues what
   the observer sends (IndexedDB) and sends it when it can; this worker never sends anything. */
"use strict";

var CONFIG = {{ config }};
var PREFIX = "birlik-observer-shell-" + CONFIG.language + "-";
var SHELL_CACHE = PREFIX + CONFIG.version;
var DATA_CACHE = "birlik-observer-data";
var NETWORK_TIMEOUT_MS = 4000;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then(function (cache) { return cache.addAll([CONFIG.page].concat(CONFIG.shell)); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys()
      .then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf(PREFIX) === 0 && name !== SHELL_CACHE;
        }).map(function (name) { return caches.delete(name); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

// Who asked: /me answers are kept per device token (by its hash), so that a phone shared by
// two observers never shows one the other's stations.
function tokenHash(request) {
  var header = request.headers.get("Authorization") || "";
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(header)).then(function (buffer) {
    return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
      return ("0" + byte.toString(16)).slice(-2);
    }).join("");
  });
}

function withTimeout(promise, milliseconds) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () { reject(new Error("timeout")); }, milliseconds);
    promise.then(function (value) { clearTimeout(timer); resolve(value); },
                 function (error) { clearTimeout(timer); reject(error); });
  });
}

// The page: fresh from the network when it answers quickly, else the copy.
function page(request) {
  var fromNetwork = fetch(request).then(function (response) {
    if (response.ok) {
      var copy = response.clone();
      caches.open(SHELL_CACHE).then(function (cache) { cache.put(CONFIG.page, copy); });
    }
    return response;
  });
  return withTimeout(fromNetwork, NETWORK_TIMEOUT_MS).catch(function () {
    return caches.match(CONFIG.page, { cacheName: SHELL_CACHE }).then(function (cached) {
      return cached || fromNetwork;
    });
  });
}

// Static files: the copy first (their names change when they do, in production).
function shellFile(request) {
  return caches.match(request, { cacheName: SHELL_CACHE }).then(function (cached) {
    return cached || fetch(request);
  });
}

// GET /me: the network first; its last good answer when there is no connection.
function me(request) {
  return tokenHash(request).then(function (hash) {
    return fetch(request).then(function (response) {
      if (response.ok) {
        var copy = response.clone();
        copy.blob().then(function (body) {
          var headers = new Headers(copy.headers);
          headers.set("X-Birlik-Token", hash);
          headers.set("X-Birlik-Saved-At", new Date().toISOString());
          return caches.open(DATA_CACHE).then(function (cache) {
            return cache.put(CONFIG.me, new Response(body, { status: 200, headers: headers }));
          });
        });
      } else if (response.status === 401) {
        caches.open(DATA_CACHE).then(function (cache) { cache.delete(CONFIG.me); });
      }
      return response;
    }).catch(function (error) {
      return caches.match(CONFIG.me, { cacheName: DATA_CACHE, ignoreVary: true })
        .then(function (cached) {
          if (cached && cached.headers.get("X-Birlik-Token") === hash) return cached;
          throw error;
        });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && url.pathname === CONFIG.page) {
    event.respondWith(page(request));
  } else if (CONFIG.shell.indexOf(url.pathname) !== -1) {
    event.respondWith(shellFile(request));
  } else if (url.pathname === CONFIG.me && !url.search) {
    event.respondWith(me(request));
  }
});

self.addEventListener("message", function (event) {
  // The page says so when the observer signs out: forget their data.
  if (event.data === "signed-out") {
    event.waitUntil(caches.delete(DATA_CACHE));
  }
});
{% endautoescape %}
