package dev.mmucheck.diagram;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One page of headless Chromium driven over the DevTools protocol (its WebSocket; the port is the one
 * Chromium writes to DevToolsActivePort in its profile): evaluate script in the page, and give a file input
 * files as a reader picking them in the file dialog does ({@code DOM.setFileInputFiles}, which fires the
 * input's change event). For what {@code --dump-dom} cannot do: act on a page after it loaded.
 */
final class DevToolsPage implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process chromium;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    private DevToolsPage(Process chromium, WebSocket.Builder builder, URI page) throws Exception {
        this.chromium = chromium;
        this.socket = builder.buildAsync(page, new Replies()).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Chromium ({@code browser}, with its profile in the empty folder {@code profile}) showing {@code url}. */
    static DevToolsPage open(Path browser, Path profile, String url) throws Exception {
        Files.createDirectories(profile);
        Process p = new ProcessBuilder(browser.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort");
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
                if (!p.isAlive()) throw new IOException(browser + " exited with " + p.exitValue() + " before it opened its DevTools port");
                if (System.nanoTime() > deadline) throw new TimeoutException(browser + " wrote no " + portFile + " in " + TIMEOUT.toSeconds() + " s");
                Thread.sleep(50);
            }
            int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
            HttpClient http = HttpClient.newHttpClient();
            String list = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            for (JsonNode target : new ObjectMapper().readTree(list))
                if ("page".equals(target.path("type").asText()))
                    return new DevToolsPage(p, http.newWebSocketBuilder(), URI.create(target.get("webSocketDebuggerUrl").asText()));
            throw new IOException(browser + " has no page target: " + list);
        } catch (Exception e) {
            stop(p);
            throw e;
        }
    }

    /** Send one DevTools command and wait for its result (an error reply is thrown). */
    JsonNode send(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        ObjectNode msg = json.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        socket.sendText(json.writeValueAsString(msg), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) throw new IOException(method + " failed: " + r.get("error"));
        return r.get("result");
    }

    /** The value of the script {@code expression} in the page (a JSON value; a thrown exception is thrown here). */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = send("Runtime.evaluate", json.createObjectNode().put("expression", expression).put("returnByValue", true));
        if (r.has("exceptionDetails")) throw new IOException(expression + " threw: " + r.get("exceptionDetails"));
        return r.path("result").path("value");
    }

    /** Wait (at most {@code seconds}) until the script {@code condition} is true; returns whether it became true. */
    boolean waitUntil(String condition, int seconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            if (evaluate("!!(" + condition + ")").asBoolean()) return true;
            Thread.sleep(50);
        }
        return false;
    }

    /** Give the file input {@code selector} the file {@code file}, as picking it in the file dialog does (its change event fires). */
    void chooseFile(String selector, Path file) throws Exception {
        JsonNode input = send("Runtime.evaluate", json.createObjectNode().put("expression", "document.querySelector(" + json.writeValueAsString(selector) + ")"));
        String objectId = input.path("result").path("objectId").asText(null);
        if (objectId == null) throw new IOException("no element " + selector + " in the page: " + input);
        ObjectNode params = json.createObjectNode().put("objectId", objectId);
        params.putArray("files").add(file.toAbsolutePath().toString());
        send("DOM.setFileInputFiles", params);
    }

    /** The page's DOM as HTML, as {@code --dump-dom} prints it. */
    String dom() throws Exception { return evaluate("document.documentElement.outerHTML").asText(); }

    @Override
    public void close() {
        socket.abort();
        stop(chromium);
    }

    private static void stop(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        children.forEach(ProcessHandle::destroy);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroyForcibly();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Collects each message (in parts) and completes the command it answers; events are ignored. */
    private final class Replies implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                try {
                    JsonNode msg = json.readTree(text.toString());
                    CompletableFuture<JsonNode> reply = msg.has("id") ? replies.remove(msg.get("id").asInt()) : null;
                    if (reply != null) reply.complete(msg);
                } catch (IOException e) {
                    replies.values().forEach(r -> r.completeExceptionally(new IOException("unreadable DevTools message: " + e.getMessage(), e)));
                }
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            replies.values().forEach(r -> r.completeExceptionally(error));
        }
    }
}
