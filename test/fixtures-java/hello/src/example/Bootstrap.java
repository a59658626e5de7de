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
 * Events steer it: {"action":"greet"|"throw"|"sleep"|"crash", ...}.
 */
public final class Bootstrap {
  static final boolean BENCH = System.getenv("NI_CONFIG_BENCH") != null;

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
    while (true) {
      HttpResponse<String> next = http.send(HttpRequest.newBuilder(URI.create(base + "/invocation/next")).GET().build(), HttpResponse.BodyHandlers.ofString());
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
    }
  }

  static String error(Exception e) {
    return "{\"errorMessage\":\"" + String.valueOf(e.getMessage()).replace("\"", "'") + "\",\"errorType\":\"" + e.getClass().getName() + "\"}";
  }

  static void post(HttpClient http, String url, String body, String errorType) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body));
    if (errorType != null) b.header("Lambda-Runtime-Function-Error-Type", errorType);
    http.send(b.build(), HttpResponse.BodyHandlers.discarding());
  }

  static String resource(String name) throws Exception {
    try (InputStream in = Bootstrap.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }
}
