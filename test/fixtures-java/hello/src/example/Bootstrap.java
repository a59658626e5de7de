package example;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A Lambda function with its own small Runtime API client (java.net.http), used by the trace
 * tests. It polls AWS_LAMBDA_RUNTIME_API for events and answers each with Handler's result.
 * Events steer it: {"action":"greet"|"throw"|"sleep"|"crash"|"lookup", ...} (Handler lists the others).
 * An answer the Runtime API refuses is reported on stderr ("fixture: ... answered 413 ...").
 * Env switches: HANDLER (a class that is not there fails the init), NI_FIXTURE_FIRST_START_DELAY_MS.
 */
public final class Bootstrap {
  static final boolean BENCH = System.getenv("NI_CONFIG_BENCH") != null;
  /** The headers of the last event the Runtime API handed over, and when (epoch ms). */
  static volatile java.util.Map<String, java.util.List<String>> lastHeaders = java.util.Map.of();
  static volatile long lastReceivedAt;

  public static void main(String[] args) throws Exception {
    String api = System.getenv("AWS_LAMBDA_RUNTIME_API");
    if (api == null) {
      System.err.println("AWS_LAMBDA_RUNTIME_API is not set");
      System.exit(2);
    }
    String base = "http://" + api + "/2018-06-01/runtime";
    HttpClient http = HttpClient.newHttpClient();
    Handler handler;
    try {
      // the way the runtime client loads a handler: by name, reflectively
      Class<?> type = Class.forName(System.getenv().getOrDefault("HANDLER", "example.Handler"));
      handler = (Handler) type.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      post(http, base + "/init/error", error(e), "Runtime.ClassNotFound");
      System.exit(1);
      return;
    }
    // NI_FIXTURE_FIRST_START_DELAY_MS: the first JVM in a container is slow to ask for its first event
    String delay = System.getenv("NI_FIXTURE_FIRST_START_DELAY_MS");
    if (delay != null && new java.io.File("/tmp/ni-fixture-started").createNewFile()) Thread.sleep(Long.parseLong(delay));
    while (true) {
      HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).GET().build(), HttpResponse.BodyHandlers.ofString());
      lastReceivedAt = System.currentTimeMillis();
      lastHeaders = next.headers().map();
      String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
      try {
        long started = System.nanoTime();
        String result = handler.handle(next.body());
        long handled = System.nanoTime() - started;
        // for benchmarks: the function's own handling time, to tell the tool's overhead apart
        if (BENCH) result = "{\"handledNanos\":" + handled + ",\"result\":" + result + "}";
        post(http, base + "/invocation/" + id + "/response", result, null);
      } catch (Exception e) {
        post(http, base + "/invocation/" + id + "/error", error(e), "Unhandled");
      }
      Integer exit = Handler.exitAfterAnswer;
      if (exit != null) Runtime.getRuntime().halt(exit);
    }
  }

  static String error(Exception e) {
    return "{\"errorMessage\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\",\"errorType\":\"" + e.getClass().getName() + "\"}";
  }

  static void post(HttpClient http, String url, String body, String errorType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (errorType != null) b.header("Lambda-Runtime-Function-Error-Type", errorType);
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 202) System.err.println("fixture: POST " + url.substring(url.indexOf("/runtime/")) + " answered " + r.statusCode() + " " + r.body().trim());
  }

  static String resource(String name) throws Exception {
    try (InputStream in = Bootstrap.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }
}
