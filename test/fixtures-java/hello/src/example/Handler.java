package example;

/** The function: uses reflection and resources the way handlers do (a model class named in config, a template file). */
public class Handler {
  public String handle(String event) throws Exception {
    String action = field(event, "action");
    switch (action) {
      case "throw":
        throw new IllegalStateException("asked to fail");
      case "sleep":
        Thread.sleep(Long.parseLong(field(event, "ms")));
        return "{\"slept\":true}";
      case "crash":
        Runtime.getRuntime().halt(3);
        return "";
      case "lookup":
        // a class the function looks up by name: one reflection entry that only this event needs
        return "{\"found\":\"" + Class.forName(field(event, "class")).getName() + "\"}";
      // the actions below are for the emulator's own tests (test/e2e/stand-in-rie.test.ts)
      case "answer-then-exit":
        // Bootstrap exits with this status once the answer is posted, before asking for the next event
        exitAfterAnswer = Integer.valueOf(field(event, "code").isEmpty() ? "0" : field(event, "code"));
        return "{\"answered\":true}";
      case "big":
        // an answer of exactly this many bytes
        int size = Integer.parseInt(field(event, "bytes"));
        return "{\"pad\":\"" + "x".repeat(size - 10) + "\"}";
      case "env":
        return json(new java.util.TreeMap<>(System.getenv()));
      case "context":
        // what the Runtime API said with this event, and when it came
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        for (java.util.Map.Entry<String, java.util.List<String>> h : Bootstrap.lastHeaders.entrySet())
          seen.put(h.getKey().toLowerCase(java.util.Locale.ROOT), String.join(",", h.getValue()));
        seen.put("x-received-at", String.valueOf(Bootstrap.lastReceivedAt));
        seen.put("x-pid", String.valueOf(ProcessHandle.current().pid()));
        return json(seen);
      case "size":
        return "{\"bytes\":" + event.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + "}";
      case "pid":
        return "{\"pid\":" + ProcessHandle.current().pid() + "}";
      case "spawn":
        // a child in the runtime's process group, to see what a kill reaches
        Process child = new ProcessBuilder("sleep", "600").start();
        return "{\"pid\":" + ProcessHandle.current().pid() + ",\"child\":" + child.pid() + "}";
      default:
        Class<?> model = Class.forName("example." + field(event, "model"));
        Object greeting = model.getDeclaredConstructor(String.class).newInstance(field(event, "name"));
        String text = (String) model.getMethod("text").invoke(greeting);
        String template = Bootstrap.resource("templates/greeting.txt");
        return "{\"message\":\"" + template.replace("{}", text) + "\"}";
    }
  }

  /** Set by "answer-then-exit": the status to exit with once the answer is posted. */
  static volatile Integer exitAfterAnswer;

  /** A JSON object of string values. */
  static String json(java.util.Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    for (java.util.Map.Entry<String, String> e : m.entrySet()) {
      if (b.length() > 1) b.append(',');
      b.append(quote(e.getKey())).append(':').append(quote(e.getValue()));
    }
    return b.append('}').toString();
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  /** A tiny reader for flat JSON string and number fields (no library on the class path). */
  static String field(String json, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
    return m.find() ? m.group(1) : "";
  }
}
