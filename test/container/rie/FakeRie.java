import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for aws-lambda-rie in the test image (no registry here to fetch the real one), with
 * the behaviour ni-config has to cope with (lambda-rie.md): the invoke endpoint on :8080, 404 on
 * GET /, the runtime started lazily on the first invoke with AWS_LAMBDA_RUNTIME_API pointing at
 * its own Runtime API on :9001, function errors and timeouts answered with HTTP 200, a runtime
 * that dies mid-invoke answered with 502 and started again on the next invoke, a timed-out
 * runtime SIGKILLed.
 */
public final class FakeRie {
  static List<String> command;
  static Process runtime;
  static final SynchronousQueue<String[]> events = new SynchronousQueue<>();
  static final SynchronousQueue<String[]> answers = new SynchronousQueue<>();
  static volatile String currentId;

  public static void main(String[] args) throws Exception {
    command = List.of(args);
    HttpServer api = HttpServer.create(new InetSocketAddress("127.0.0.1", 9001), 16);
    api.createContext("/2018-06-01/runtime/", FakeRie::runtimeApi);
    api.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    api.start();
    HttpServer front = HttpServer.create(new InetSocketAddress("0.0.0.0", 8080), 16);
    front.createContext("/", FakeRie::front);
    front.start();
  }

  static synchronized void front(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    if (!path.equals("/2015-03-31/functions/function/invocations")) {
      send(x, 404, "404 page not found\n");
      return;
    }
    String event = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (runtime == null || !runtime.isAlive()) {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001");
        String options = System.getenv("NI_RUNTIME_JAVA_TOOL_OPTIONS");
        if (options != null && !options.isEmpty()) pb.environment().put("JAVA_TOOL_OPTIONS", options);
        runtime = pb.start();
      }
      int timeout = Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_TIMEOUT", "300"));
      String id = UUID.randomUUID().toString();
      long deadline = System.currentTimeMillis() + timeout * 1000L;
      while (!events.offer(new String[] {id, event}, 50, TimeUnit.MILLISECONDS)) {
        if (!runtime.isAlive()) { send(x, 502, ""); return; }
        if (System.currentTimeMillis() > deadline) break;
      }
      currentId = id;
      while (true) {
        String[] a = answers.poll(50, TimeUnit.MILLISECONDS);
        if (a != null && a[0].equals(id)) { send(x, 200, a[1]); return; }
        if (!runtime.isAlive()) { send(x, 502, ""); return; }
        if (System.currentTimeMillis() > deadline) {
          // gone before the answer, as with the real emulator: the next invoke starts a new runtime
          // (without the wait, isAlive() can still be true then and that invoke would see it die)
          runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
          send(x, 200, String.format("Task timed out after %d.00 seconds", timeout));
          return;
        }
      }
    } catch (InterruptedException e) {
      send(x, 502, "");
    }
  }

  static void runtimeApi(HttpExchange x) throws IOException {
    String path = x.getRequestURI().getPath();
    byte[] body = x.getRequestBody().readAllBytes();
    try {
      if (path.endsWith("/invocation/next")) {
        String[] e = events.take();
        x.getResponseHeaders().add("Lambda-Runtime-Aws-Request-Id", e[0]);
        x.getResponseHeaders().add("Lambda-Runtime-Deadline-Ms", String.valueOf(System.currentTimeMillis() + 300_000));
        x.getResponseHeaders().add("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:012345678912:function:test_function");
        send(x, 200, e[1]);
      } else if (path.endsWith("/response") || path.endsWith("/error")) {
        String id = path.split("/")[4];
        send(x, 202, "{\"status\":\"OK\"}");
        answers.offer(new String[] {id, new String(body, StandardCharsets.UTF_8)}, 1, TimeUnit.SECONDS);
      } else if (path.endsWith("/init/error")) {
        send(x, 202, "{\"status\":\"OK\"}");
      } else {
        send(x, 404, "");
      }
    } catch (InterruptedException e) {
      send(x, 500, "");
    }
  }

  static void send(HttpExchange x, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) try (OutputStream o = x.getResponseBody()) { o.write(bytes); }
    x.close();
  }
}
