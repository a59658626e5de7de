import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import jdk.internal.misc.Signal;

/**
 * A stand-in for aws-lambda-rie (classic mode, no extensions) in the test image: there is no
 * registry here to fetch the real one. It keeps the real emulator's contract, so that the tests
 * mean the same against the real binary (lambda-rie.md; the emulator's source at 4fa2157):
 *
 * <ul>
 *   <li>argv: `[options] CMD ARGS...` runs CMD in the current directory, the last argument is the
 *       handler when there are two or more; without a command, /var/task/bootstrap, /opt/bootstrap or
 *       /var/runtime/bootstrap in /var/task. --log-level (or LOG_LEVEL), --runtime-api-address and
 *       --runtime-interface-emulator-address anywhere before `--`; other options stay in CMD.
 *   <li>Any method on the invoke path invokes, every other path is Go's 404. Answers carry the type
 *       Go's net/http sniffs from the body (text/plain; charset=utf-8 for JSON), no other header.
 *   <li>The runtime starts on the first invoke, in its own process group, with the container's
 *       environment plus the emulator's defaults; the invoke timer (AWS_LAMBDA_FUNCTION_TIMEOUT,
 *       integer seconds, default 300) runs from the invoke, so the lazy start counts.
 *   <li>An invoke is answered when the runtime, having posted its response or error, asks for the
 *       next event: 200 with what it posted. A response over 6 MiB + 100 bytes gets 413 and the
 *       caller a Function.ResponseSizeTooLarge error (200). A runtime that exits first gets 502 with
 *       what it posted, else the /init/error payload of the first init, else a Runtime.ExitError.
 *       A runtime that exited while idle fails the next invoke at once (502); the one after starts
 *       a new runtime. A timeout SIGKILLs the runtime's process group and answers 200 "Task timed
 *       out after N.00 seconds" 100 ms later. After every failure or timeout the next invoke starts
 *       a new runtime (named runtime-N, N counting starts and resets as the emulator does).
 *   <li>A second invoke while one runs crashes the emulator (exit status 2), as the nil-pointer
 *       panic after "ReserveFailed: AlreadyReserved" does; a non-integer timeout drops the invoke's
 *       connection (a panic in the HTTP handler) and the emulator stays up.
 *   <li>SIGTERM or SIGINT: the runtime's process group is SIGKILLed, the emulator exits 0.
 *   <li>Logs: START/END/REPORT lines on stdout, the emulator's own lines on stderr in its format.
 * </ul>
 *
 * Not kept: extensions, init caching, response streaming, X-Ray. Java reports a death by signal N
 * as exit value 128+N, and a JVM itself exits with 143 after SIGTERM: only 134, 137 and 139 are read
 * as deaths by SIGABRT, SIGKILL and SIGSEGV ("signal: ..."), the rest as exit statuses.
 */
public final class FakeRie {
  static final String INVOKE_PATH = "/2015-03-31/functions/function/invocations";
  static final int MAX_PAYLOAD = 6 * 1024 * 1024 + 100;
  /** Go's net/http buffers this much of a body before it must send the headers (and chunk). */
  static final int GO_BUFFER = 2048;

  static final String[] LEVELS = {"PANIC", "FATAL", "ERROR", "WARNING", "INFO", "DEBUG", "TRACE"};
  static final int ERROR = 2, WARN = 3, INFO = 4;
  static int logLevel = INFO;
  static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("dd MMM yyyy HH:mm:ss,SSS", Locale.ENGLISH);

  // from argv
  static List<String> command;
  static String workDir;
  static String argHandler = "";
  static String runtimeApiHost = "127.0.0.1";
  static int runtimeApiPort = 9001;
  static String frontAddress = "0.0.0.0:8080";

  // the emulator's state, guarded by LOCK; CHANGED is signalled on every change
  static final ReentrantLock LOCK = new ReentrantLock();
  static final Condition CHANGED = LOCK.newCondition();
  /** The first invoke ran the init (the emulator's own flag, set once). */
  static boolean initDone;
  /** The runtime the init started has not asked for an event yet (the init phase). */
  static boolean initPhase;
  /** That runtime failed; the invoke waiting for it still makes (and fails) its own start. */
  static boolean initFailed;
  /** Set when the init fails: from then on a failed invoke answers this (it is never cleared). */
  static byte[] cachedInitError;
  static Map<String, String> runtimeEnv;
  static long initStartNanos;
  static int generation;
  static Child runtime;
  /** The runtime exited outside a reset: every invoke fails with this until the next reset. */
  static String[] cancelled;
  static Invocation current;
  static boolean shuttingDown;

  static final class Child {
    final int generation;
    final Process process;
    final long pid;
    final boolean initPhase;
    /** Started, Ready, Running, RuntimeResponseSentState or InitError, as the emulator names them. */
    String state = "Started";
    boolean killed;
    Integer exit;

    Child(int generation, Process process, boolean initPhase) {
      this.generation = generation;
      this.process = process;
      this.pid = process.pid();
      this.initPhase = initPhase;
    }

    String name() {
      return "runtime-" + generation;
    }
  }

  static final class Invocation {
    final String id = UUID.randomUUID().toString();
    final byte[] event;
    final String clientContext;
    final String tenantId;
    final String functionArn;
    final long deadlineMs;
    boolean delivered;
    long releasedNanos;
    byte[] reply;
    /** The runtime asked for the next event after it replied: the invoke is done. */
    boolean readyAfterReply;
    boolean finished;

    Invocation(byte[] event, String clientContext, String tenantId, String functionArn, long deadlineMs) {
      this.event = event;
      this.clientContext = clientContext;
      this.tenantId = tenantId;
      this.functionArn = functionArn;
      this.deadlineMs = deadlineMs;
    }
  }

  public static void main(String[] args) throws Exception {
    // Go sets TCP_NODELAY on every connection; without it each answer waits for a delayed ACK
    System.setProperty("sun.net.httpserver.nodelay", "true");
    List<String> positional = parseArgs(args);
    chooseBootstrap(positional);
    Signal.Handler onSignal = FakeRie::terminate;
    Signal.handle(new Signal("TERM"), onSignal);
    Signal.handle(new Signal("INT"), onSignal);

    HttpServer api = HttpServer.create(new InetSocketAddress(runtimeApiHost, runtimeApiPort), 64);
    api.createContext("/", FakeRie::runtimeApi);
    api.setExecutor(Executors.newCachedThreadPool());
    api.start();
    int colon = frontAddress.lastIndexOf(':');
    String host = frontAddress.substring(0, colon);
    int port = Integer.parseInt(frontAddress.substring(colon + 1));
    HttpServer front =
        HttpServer.create(host.isEmpty() ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 64);
    front.createContext("/", FakeRie::front);
    front.setExecutor(Executors.newCachedThreadPool());
    front.start();
  }

  // ---- argv ----

  static List<String> parseArgs(String[] args) {
    List<String> positional = new ArrayList<>();
    String level = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--")) {
        for (int j = i + 1; j < args.length; j++) positional.add(args[j]);
        break;
      }
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      boolean known =
          name.equals("--log-level")
              || name.equals("--runtime-api-address")
              || name.equals("--runtime-interface-emulator-address");
      if (known) {
        String value;
        if (a.contains("=")) value = a.substring(a.indexOf('=') + 1);
        else if (i + 1 < args.length) value = args[++i];
        else {
          fatal("Failed to parse command line arguments: expected argument for flag `" + a + "'");
          return positional;
        }
        if (name.equals("--log-level")) level = value;
        else if (name.equals("--runtime-api-address")) {
          int c = value.lastIndexOf(':');
          if (c < 0) fatal("The command line value for \"--runtime-api-address\" is not a valid network address \"" + value + "\".");
          runtimeApiHost = value.substring(0, c);
          runtimeApiPort = Integer.parseInt(value.substring(c + 1));
        } else {
          if (value.lastIndexOf(':') < 0)
            fatal("The command line value for \"--runtime-interface-emulator-address\" is not a valid network address \"" + value + "\".");
          frontAddress = value;
        }
      } else if (a.equals("--enable-init-caching")) {
        log(WARN, "init caching is not emulated by this stand-in; ignoring --enable-init-caching");
      } else {
        positional.add(a);
      }
    }
    if (level == null) level = System.getenv("LOG_LEVEL");
    if (level != null) {
      String l = level.toLowerCase(Locale.ROOT);
      int found = -1;
      for (int i = 0; i < LEVELS.length; i++) if (LEVELS[i].toLowerCase(Locale.ROOT).equals(l)) found = i;
      if (l.equals("warn")) found = WARN;
      if (found < 0)
        fatal("Failed to set log level. Valid log levels are:[panic fatal error warning info debug trace] error=not a valid logrus Level: \"" + level + "\"");
      logLevel = found;
    }
    return positional;
  }

  static void chooseBootstrap(List<String> positional) {
    if (positional.isEmpty()) {
      workDir = "/var/task";
      String chosen = "/var/task/bootstrap";
      if (!isFile(chosen)) {
        for (String candidate : List.of("/opt/bootstrap", "/var/runtime/bootstrap")) {
          if (isFile(candidate)) {
            chosen = candidate;
            break;
          }
        }
      }
      command = List.of(chosen);
      return;
    }
    command = List.copyOf(positional);
    workDir = System.getProperty("user.dir");
    if (positional.size() >= 2) argHandler = positional.get(positional.size() - 1);
    log(INFO, "exec '" + positional.get(0) + "' (cwd=" + workDir + ", handler=" + argHandler + ")");
  }

  static boolean isFile(String path) {
    return Files.exists(Path.of(path)) && !Files.isDirectory(Path.of(path));
  }

  // ---- the invoke endpoint ----

  static void front(HttpExchange x) throws IOException {
    try {
      if (!x.getRequestURI().getPath().equals(INVOKE_PATH)) {
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(x, 404, "404 page not found\n".getBytes(StandardCharsets.UTF_8), false);
        return;
      }
      invoke(x);
    } catch (IOException e) {
      // the caller went away; the emulator does not notice either
    } finally {
      x.close();
    }
  }

  static void invoke(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    String clientContext;
    try {
      clientContext = decodeBase64(header(x.getRequestHeaders(), "X-Amz-Client-Context"));
    } catch (IllegalArgumentException e) {
      log(ERROR, "Failed to decode X-Amz-Client-Context: " + e.getMessage());
      send(x, 500, new byte[0], false);
      return;
    }
    String inv = getenv("AWS_LAMBDA_FUNCTION_TIMEOUT", "300");
    long timeout;
    if (inv.matches("[+-]?[0-9]+")) {
      try {
        timeout = Long.parseLong(inv);
      } catch (NumberFormatException e) {
        handlerPanic(x, "strconv.ParseInt: parsing \"" + inv + "\": value out of range");
        return;
      }
    } else {
      handlerPanic(x, "strconv.ParseInt: parsing \"" + inv + "\": invalid syntax");
      return;
    }
    String version = getenv("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    String memory = getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008");
    long timeoutMs = timeout * 1000;

    // the emulator's init only starts the runtime (in the background): its timer and the deadline
    // count from here, before this stand-in's slower start of a process
    long arrived = System.currentTimeMillis();
    long invokeStart = System.nanoTime();
    String initDuration = "";
    LOCK.lock();
    try {
      if (!initDone) {
        long t0 = System.nanoTime();
        init(version);
        initDone = true;
        double ms = Math.min((System.nanoTime() - t0) / 1e6, (double) timeoutMs);
        initDuration = String.format(Locale.ROOT, "Init Duration: %.2f ms\t", ms);
      }
    } finally {
      LOCK.unlock();
    }

    // the id printed here is not the one the runtime gets: the reservation makes its own
    String printedId = UUID.randomUUID().toString();
    out("START RequestId: " + printedId + " Version: " + version + "\n");

    String name = getenv("AWS_LAMBDA_FUNCTION_NAME", "test_function");
    Invocation inv0 =
        new Invocation(
            body.length > MAX_PAYLOAD ? java.util.Arrays.copyOf(body, MAX_PAYLOAD) : body,
            clientContext,
            header(x.getRequestHeaders(), "X-Amz-Tenant-Id"),
            "arn:aws:lambda:us-east-1:012345678912:function:" + name,
            arrived + timeoutMs);
    int status;
    byte[] answer;
    String endId;
    boolean timedOut = false;
    LOCK.lock();
    try {
      if (current != null) {
        log(INFO, "ReserveFailed: AlreadyReserved");
        System.err.print(
            "panic: runtime error: invalid memory address or nil pointer dereference\n"
                + "[signal SIGSEGV: segmentation violation]\n\ngoroutine 1 [running]:\n(stand-in emulator)\n");
        System.err.flush();
        Runtime.getRuntime().halt(2);
      }
      current = inv0;
      CHANGED.signalAll();
      Invocation me = inv0;
      while (true) {
        if (me.readyAfterReply) {
          status = 200;
          answer = me.reply;
          endId = me.id;
          logf(
              INFO,
              "INVOKE RTDONE(status: success, produced bytes: 0, duration: %fms)",
              (System.nanoTime() - me.releasedNanos) / 1e6);
          release(me);
          break;
        }
        if (initFailed) {
          // the init failed; the invoke's own start of a runtime fails at once after it
          initFailed = false;
          log(WARN, "Shutdown initiated: spindown");
          log(INFO, "Waiting for runtime domain processes termination");
          generation++;
          logf(INFO, "INIT START(type: on-demand, phase: invoke)");
          log(INFO, "INVOKE START(requestId: " + me.id + ")");
        }
        if (cancelled != null) {
          logLine(ERROR, "Invoke failed InvokeID=" + me.id + " error=" + cancelled[1]);
          log(ERROR, "Invoke DONE failed: " + cancelled[0]);
          status = 502;
          if (me.reply != null) answer = me.reply;
          else if (cachedInitError != null) answer = cachedInitError;
          else answer = errorJson(cancelled[0], "RequestId: " + me.id + " Error: " + cancelled[1]);
          endId = null;
          reset("ReleaseFail");
          release(me);
          break;
        }
        long left = me.deadlineMs - System.currentTimeMillis();
        if (left <= 0) {
          // until the init is done the invoke has not taken the reservation's id yet
          endId = initPhase ? printedId : me.id;
          if (initPhase) {
            // the interrupted init counts as failed: later failures answer its (empty) error
            initPhase = false;
            if (cachedInitError == null) cachedInitError = new byte[0];
          }
          reset("Timeout");
          release(me);
          timedOut = true;
          status = 200;
          answer = String.format(Locale.ROOT, "Task timed out after %d.00 seconds", timeout).getBytes(StandardCharsets.UTF_8);
          break;
        }
        if (runtime == null) startRuntime(false);
        if (cancelled == null) CHANGED.await(Math.min(left, 1000), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      throw new IOException(e);
    } finally {
      LOCK.unlock();
    }
    if (endId != null) {
      double ms = Math.min((System.nanoTime() - invokeStart) / 1e6, (double) timeoutMs);
      out("END RequestId: " + endId + "\n");
      out(
          String.format(
              Locale.ROOT,
              "REPORT RequestId: %s\t%sDuration: %.2f ms\tBilled Duration: %.0f ms\tMemory Size: %s MB\tMax Memory Used: %s MB\t\n",
              endId,
              initDuration,
              ms,
              Math.ceil(ms),
              memory,
              memory));
    }
    // the emulator sleeps 100 ms after writing a timeout's answer, before the handler returns
    if (timedOut) sleep(100);
    if (answer.length > 0) x.getResponseHeaders().set("Content-Type", sniff(answer));
    send(x, status, answer, x.getRequestMethod().equals("HEAD"));
  }

  static void release(Invocation me) {
    me.finished = true;
    if (current == me) current = null;
    CHANGED.signalAll();
  }

  /** A panic in an HTTP handler: Go's server logs it and drops the connection; the emulator lives on. */
  static void handlerPanic(HttpExchange x, String message) {
    String when = ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy/MM/dd HH:mm:ss"));
    String remote = x.getRemoteAddress().getAddress().getHostAddress() + ":" + x.getRemoteAddress().getPort();
    System.err.print(when + " http: panic serving " + remote + ": " + message + "\ngoroutine 1 [running]:\n(stand-in emulator)\n");
    System.err.flush();
    // closing an exchange before its headers are sent closes the connection
  }

  // ---- the runtime ----

  /** The first invoke's init: the runtime starts in the init phase; its environment is kept for later starts. */
  static void init(String version) {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/Functions");
    env.put("AWS_LAMBDA_LOG_STREAM_NAME", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "3008");
    env.put("AWS_LAMBDA_FUNCTION_NAME", "test_function");
    env.putAll(System.getenv());
    // the wrapper kept the container's JAVA_TOOL_OPTIONS away from this JVM: it is the runtime's
    env.remove("JAVA_TOOL_OPTIONS");
    String options = env.remove("NI_RUNTIME_JAVA_TOOL_OPTIONS");
    if (options != null) env.put("JAVA_TOOL_OPTIONS", options);
    for (String k : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
      env.put(k, System.getenv().getOrDefault(k, ""));
    String handler = getenv("AWS_LAMBDA_FUNCTION_HANDLER", System.getenv().getOrDefault("_HANDLER", ""));
    if (handler.isEmpty()) handler = argHandler;
    if (!handler.isEmpty()) env.put("_HANDLER", handler);
    env.put("AWS_LAMBDA_FUNCTION_NAME", getenv("AWS_LAMBDA_FUNCTION_NAME", "test_function"));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", version);
    env.put("AWS_LAMBDA_RUNTIME_API", runtimeApiHost + ":" + runtimeApiPort);
    runtimeEnv = env;
    startRuntime(true);
  }

  /** Starts a runtime (generation + 1); a command that cannot run fails the init or the invoke. */
  static void startRuntime(boolean inInit) {
    generation++;
    initStartNanos = System.nanoTime();
    logf(INFO, "INIT START(type: on-demand, phase: %s)", inInit ? "init" : "invoke");
    if (!Files.isDirectory(Path.of("/opt/extensions")))
      log(INFO, "The extension's directory \"/opt/extensions\" does not exist, assuming no extensions to be loaded.");
    List<String> missing = new ArrayList<>();
    for (String k : List.of("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))
      if (runtimeEnv.getOrDefault(k, "").isEmpty()) missing.add(k);
    if (!missing.isEmpty())
      log(INFO, "Starting runtime without " + String.join(", ", missing) + " , Expected?: false");
    String problem = cannotRun(command.get(0));
    Process p = null;
    if (problem == null) {
      List<String> argv = new ArrayList<>();
      // its own process group, as the emulator's Setpgid: a kill reaches everything it started
      if (onPath("setsid") != null) argv.add("setsid");
      argv.addAll(command);
      ProcessBuilder pb = new ProcessBuilder(argv).directory(new File(workDir));
      pb.environment().clear();
      pb.environment().putAll(runtimeEnv);
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.redirectOutput(ProcessBuilder.Redirect.INHERIT).redirectError(ProcessBuilder.Redirect.INHERIT);
      try {
        p = pb.start();
      } catch (IOException e) {
        problem = "fork/exec " + command.get(0) + ": " + e.getMessage();
      }
    }
    if (p == null) {
      logf(INFO, "INIT RTDONE(status: error)");
      if (inInit) {
        logLine(ERROR, "Init failed InvokeID= error=" + problem);
        if (cachedInitError == null) cachedInitError = new byte[0];
        initFailed = true;
        cancelled = new String[] {"Runtime.InvalidEntrypoint", problem};
      } else {
        cancelled = new String[] {"Runtime.InvalidEntrypoint", problem};
      }
      return;
    }
    Child c = new Child(generation, p, inInit);
    runtime = c;
    initPhase = inInit;
    p.onExit().thenAccept(done -> exited(c, done.exitValue()));
    CHANGED.signalAll();
  }

  /** Why Go's exec would refuse the command, in its words; null when it would run. */
  static String cannotRun(String cmd) {
    if (!cmd.contains("/")) {
      if (onPath(cmd) == null) return "exec: \"" + cmd + "\": executable file not found in $PATH";
      return null;
    }
    Path p = Path.of(workDir).resolve(cmd);
    if (!Files.exists(p)) return "fork/exec " + cmd + ": no such file or directory";
    if (Files.isDirectory(p) || !Files.isExecutable(p)) return "fork/exec " + cmd + ": permission denied";
    return null;
  }

  static String onPath(String name) {
    String path = runtimeEnv != null ? runtimeEnv.getOrDefault("PATH", "") : System.getenv().getOrDefault("PATH", "");
    for (String d : path.split(":")) {
      Path p = Path.of(d.isEmpty() ? "." : d, name);
      if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
    }
    return null;
  }

  static void exited(Child c, int value) {
    LOCK.lock();
    try {
      c.exit = value;
      if (!c.killed && !shuttingDown && runtime == c) {
        String how = describeExit(value);
        log(WARN, "Process " + c.name() + " exited: {Domain:runtime Name:" + c.name() + " " + how + "}");
        String[] why = {
          "Runtime.ExitError",
          value == 0 ? "Runtime exited without providing a reason" : "Runtime exited with error: " + how
        };
        if (cancelled == null) cancelled = why;
        if (c.initPhase && initPhase) {
          initPhase = false;
          logf(INFO, "INIT RTDONE(status: error)");
          logLine(ERROR, "Init failed InvokeID= error=" + why[1]);
          if (cachedInitError == null) cachedInitError = new byte[0];
          initFailed = true;
        }
      }
      CHANGED.signalAll();
    } finally {
      LOCK.unlock();
    }
  }

  static String describeExit(int value) {
    switch (value) {
      case 134:
        return "signal: aborted";
      case 137:
        return "signal: killed";
      case 139:
        return "signal: segmentation fault";
      default:
        return "exit status " + value;
    }
  }

  /**
   * A reset: the runtime, if it still runs, is SIGKILLed with its process group (no extensions, so
   * no graceful phase), the next invoke starts a new one.
   */
  static void reset(String reason) {
    log(WARN, "Reset initiated: " + reason);
    killRuntime();
    log(INFO, "Waiting for runtime domain processes termination");
    generation++;
    runtime = null;
    cancelled = null;
    initFailed = false;
    CHANGED.signalAll();
  }

  static void killRuntime() {
    Child c = runtime;
    if (c == null || !c.process.isAlive()) return;
    c.killed = true;
    log(INFO, "Sending SIGKILL to " + c.name() + "(" + c.pid + ").");
    long pgid = processGroup(c.pid);
    boolean sent = false;
    if (pgid > 0) {
      try {
        sent = new ProcessBuilder("kill", "-KILL", "--", "-" + pgid).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
      } catch (IOException | InterruptedException e) {
        sent = false;
      }
    }
    if (!sent) c.process.destroyForcibly();
    LOCK.unlock();
    try {
      c.process.waitFor(9, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LOCK.lock();
    }
  }

  static long processGroup(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** SIGTERM or SIGINT to the emulator: reset (SIGKILL to the runtime), then exit 0. */
  static void terminate(Signal s) {
    LOCK.lock();
    try {
      shuttingDown = true;
      log(INFO, "Received signal signal=" + (s.getName().equals("INT") ? "interrupt" : "terminated"));
      log(INFO, "Shutting down...");
      log(WARN, "Reset initiated: SandboxTerminated");
      killRuntime();
      log(INFO, "Waiting for runtime domain processes termination");
    } finally {
      System.out.flush();
      System.err.flush();
      Runtime.getRuntime().halt(0);
    }
  }

  // ---- the Runtime API the runtime talks to ----

  static void runtimeApi(HttpExchange x) throws IOException {
    try {
      String path = x.getRequestURI().getPath();
      String method = x.getRequestMethod();
      String prefix = "/2018-06-01/runtime/";
      String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : null;
      if ("invocation/next".equals(rest)) {
        if (!method.equals("GET")) send(x, 405, new byte[0], false);
        else next(x);
      } else if ("init/error".equals(rest)) {
        if (!method.equals("POST")) send(x, 405, new byte[0], false);
        else initError(x);
      } else if (rest != null && rest.matches("invocation/[^/]+/(response|error)")) {
        if (!method.equals("POST")) send(x, 405, new byte[0], false);
        else answer(x, rest.split("/")[1], rest.endsWith("/error"));
      } else {
        x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(x, 404, "404 page not found\n".getBytes(StandardCharsets.UTF_8), false);
      }
    } catch (IOException e) {
      // the runtime went away
    } finally {
      x.close();
    }
  }

  static void next(HttpExchange x) throws IOException {
    Invocation give;
    LOCK.lock();
    try {
      Child me = runtime;
      if (me == null || me.exit != null) return; // nobody's runtime: the connection is dropped
      if (me.state.equals("InitError")) {
        forbidden(x, me.state, "Ready");
        return;
      }
      if (me.state.equals("Running") && current != null && current.delivered && !current.finished) {
        give = current; // asked again without answering: the same event again
      } else {
        if (me.state.equals("Started")) {
          // the runtime's first request: its init is done
          if (me.initPhase) initPhase = false;
          logf(INFO, "INIT RTDONE(status: success)");
          logf(INFO, "INIT REPORT(durationMs: %f)", (System.nanoTime() - initStartNanos) / 1e6);
        }
        me.state = "Ready";
        if (current != null && current.reply != null && !current.finished) current.readyAfterReply = true;
        CHANGED.signalAll();
        while (runtime == me && me.exit == null && !(current != null && !current.delivered && !current.finished && cancelled == null)) {
          CHANGED.await();
        }
        if (runtime != me || me.exit != null) return; // killed or gone: nothing to hand over
        give = current;
        give.delivered = true;
        give.releasedNanos = System.nanoTime();
        me.state = "Running";
        log(INFO, "INVOKE START(requestId: " + give.id + ")");
      }
    } catch (InterruptedException e) {
      return;
    } finally {
      LOCK.unlock();
    }
    Headers h = x.getResponseHeaders();
    h.set("Lambda-Runtime-Aws-Request-Id", give.id);
    if (!give.clientContext.isEmpty()) h.set("Lambda-Runtime-Client-Context", give.clientContext);
    h.set("Lambda-Runtime-Invoked-Function-Arn", give.functionArn);
    h.set("Lambda-Runtime-Deadline-Ms", String.valueOf(give.deadlineMs));
    if (!give.tenantId.isEmpty()) h.set("Lambda-Runtime-Aws-Tenant-Id", give.tenantId);
    h.set("Content-Type", "application/json");
    send(x, 200, give.event, false);
  }

  static void answer(HttpExchange x, String id, boolean error) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    LOCK.lock();
    try {
      if (current == null || !current.id.equals(id) || current.finished) {
        json(x, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}\n");
        return;
      }
      Child me = runtime;
      String target = error ? "InvocationErrorResponse" : "InvocationResponse";
      if (me == null || !me.state.equals("Running")) {
        forbidden(x, me == null ? "Started" : me.state, target);
        return;
      }
      me.state = "RuntimeResponseSentState";
      if (!error && body.length > MAX_PAYLOAD) {
        current.reply =
            errorJson(
                "Function.ResponseSizeTooLarge",
                "Response payload size ("
                    + body.length
                    + " bytes) exceeded maximum allowed payload size ("
                    + MAX_PAYLOAD
                    + " bytes).");
        CHANGED.signalAll();
        json(
            x,
            413,
            "{\"errorMessage\":\"Exceeded maximum allowed payload size (" + MAX_PAYLOAD + " bytes).\",\"errorType\":\"RequestEntityTooLarge\"}\n");
        return;
      }
      current.reply = body;
      CHANGED.signalAll();
    } finally {
      LOCK.unlock();
    }
    json(x, 202, "{\"status\":\"OK\"}\n");
  }

  static void initError(HttpExchange x) throws IOException {
    byte[] body = x.getRequestBody().readAllBytes();
    LOCK.lock();
    try {
      Child me = runtime;
      if (me == null || !me.state.equals("Started")) {
        forbidden(x, me == null ? "Started" : me.state, "InitError");
        return;
      }
      me.state = "InitError";
      if (me.initPhase && initPhase) {
        cachedInitError = body;
      } else if (current != null && !current.finished && current.reply == null) {
        current.reply = body;
      } else {
        json(x, 400, "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}\n");
        return;
      }
      CHANGED.signalAll();
    } finally {
      LOCK.unlock();
    }
    json(x, 202, "{\"status\":\"OK\"}\n");
  }

  static void forbidden(HttpExchange x, String from, String to) throws IOException {
    json(
        x,
        403,
        "{\"errorMessage\":\"State transition from "
            + from
            + " to "
            + to
            + " failed for runtime. Error: State transition is not allowed\",\"errorType\":\"InvalidStateTransition\"}\n");
  }

  // ---- HTTP and text helpers ----

  static void json(HttpExchange x, int status, String body) throws IOException {
    x.getResponseHeaders().set("Content-Type", "application/json");
    send(x, status, body.getBytes(StandardCharsets.UTF_8), false);
  }

  /** As Go's server: a body it can buffer whole gets a Content-Length, a larger one is chunked. */
  static void send(HttpExchange x, int status, byte[] body, boolean head) throws IOException {
    if (head || body.length == 0) {
      x.sendResponseHeaders(status, -1);
      return;
    }
    x.sendResponseHeaders(status, body.length > GO_BUFFER ? 0 : body.length);
    try (OutputStream o = x.getResponseBody()) {
      o.write(body);
    }
  }

  static String header(Headers h, String name) {
    String v = h.getFirst(name);
    return v == null ? "" : v;
  }

  /** Go's base64.StdEncoding: padding required, CR and LF ignored. Bytes come back one char each. */
  static String decodeBase64(String s) {
    String t = s.replace("\r", "").replace("\n", "");
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=';
      if (!ok) throw new IllegalArgumentException("illegal base64 data at input byte " + i);
    }
    if (t.length() % 4 != 0) throw new IllegalArgumentException("illegal base64 data at input byte " + (t.length() / 4 * 4));
    byte[] b;
    try {
      b = Base64.getDecoder().decode(t);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("illegal base64 data at input byte " + Math.max(0, t.indexOf('=')));
    }
    // header values cannot hold line breaks: Go's server turns them into spaces
    return new String(b, StandardCharsets.ISO_8859_1).replace('\r', ' ').replace('\n', ' ');
  }

  /** What Go's json.Marshal makes of {errorType, errorMessage} (HTML characters escaped). */
  static byte[] errorJson(String type, String message) {
    return ("{\"errorType\":" + goJson(type) + ",\"errorMessage\":" + goJson(message) + "}").getBytes(StandardCharsets.UTF_8);
  }

  static String goJson(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          b.append("\\\"");
          break;
        case '\\':
          b.append("\\\\");
          break;
        case '\n':
          b.append("\\n");
          break;
        case '\r':
          b.append("\\r");
          break;
        case '\t':
          b.append("\\t");
          break;
        default:
          if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029')
            b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          else b.append(c);
      }
    }
    return b.append('"').toString();
  }

  static final String[] HTML_TAGS = {
    "<!DOCTYPE HTML", "<HTML", "<HEAD", "<SCRIPT", "<IFRAME", "<H1", "<DIV", "<FONT", "<TABLE", "<A", "<STYLE",
    "<TITLE", "<B", "<BODY", "<BR", "<P", "<!--"
  };

  /** Go's http.DetectContentType, for the kinds a function answers with (HTML, XML, text, binary). */
  static String sniff(byte[] b) {
    int n = Math.min(b.length, 512);
    int i = 0;
    while (i < n && (b[i] == '\t' || b[i] == '\n' || b[i] == 0x0c || b[i] == '\r' || b[i] == ' ')) i++;
    for (String tag : HTML_TAGS) {
      int end = i + tag.length();
      if (end < n && new String(b, i, tag.length(), StandardCharsets.ISO_8859_1).equalsIgnoreCase(tag) && (b[end] == ' ' || b[end] == '>'))
        return "text/html; charset=utf-8";
    }
    if (startsWith(b, i, "<?xml")) return "text/xml; charset=utf-8";
    if (startsWith(b, 0, "%PDF-")) return "application/pdf";
    if (n >= 2 && (b[0] & 0xff) == 0xfe && (b[1] & 0xff) == 0xff) return "text/plain; charset=utf-16be";
    if (n >= 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xfe) return "text/plain; charset=utf-16le";
    if (n >= 3 && (b[0] & 0xff) == 0xef && (b[1] & 0xff) == 0xbb && (b[2] & 0xff) == 0xbf) return "text/plain; charset=utf-8";
    if (startsWith(b, 0, "GIF87a") || startsWith(b, 0, "GIF89a")) return "image/gif";
    if (startsWith(b, 0, "\u0089PNG\r\n\u001a\n")) return "image/png";
    if (n >= 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) return "image/jpeg";
    if (n >= 3 && b[0] == 0x1f && (b[1] & 0xff) == 0x8b && b[2] == 0x08) return "application/x-gzip";
    if (startsWith(b, 0, "PK\u0003\u0004")) return "application/zip";
    for (int j = 0; j < n; j++) {
      int c = b[j] & 0xff;
      if (c <= 0x08 || c == 0x0b || (c >= 0x0e && c <= 0x1a) || (c >= 0x1c && c <= 0x1f)) return "application/octet-stream";
    }
    return "text/plain; charset=utf-8";
  }

  static boolean startsWith(byte[] b, int at, String s) {
    if (b.length - at < s.length()) return false;
    for (int k = 0; k < s.length(); k++) if ((b[at + k] & 0xff) != s.charAt(k)) return false;
    return true;
  }

  static String getenv(String key, String fallback) {
    String v = System.getenv(key);
    return v == null || v.isEmpty() ? fallback : v;
  }

  static void out(String s) {
    System.out.print(s);
    System.out.flush();
  }

  static void logf(int level, String format, Object... args) {
    log(level, String.format(Locale.ROOT, format, args));
  }

  static void log(int level, String message) {
    logLine(level, message);
  }

  /** The emulator's log format: `02 Jan 2006 15:04:05,000 [LEVEL] (rapid) message`, on stderr. */
  static void logLine(int level, String message) {
    if (level > logLevel) return;
    PrintStream e = System.err;
    e.print(ZonedDateTime.now().format(LOG_TIME) + " [" + LEVELS[level] + "] (rapid) " + message + "\n");
    e.flush();
  }

  static void fatal(String message) {
    logLine(1, message);
    Runtime.getRuntime().halt(1);
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
