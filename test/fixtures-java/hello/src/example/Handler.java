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
      default:
        Class<?> model = Class.forName("example." + field(event, "model"));
        Object greeting = model.getDeclaredConstructor(String.class).newInstance(field(event, "name"));
        String text = (String) model.getMethod("text").invoke(greeting);
        String template = Bootstrap.resource("templates/greeting.txt");
        return "{\"message\":\"" + template.replace("{}", text) + "\"}";
    }
  }

  /** A tiny reader for flat JSON string and number fields (no library on the class path). */
  static String field(String json, String name) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
    return m.find() ? m.group(1) : "";
  }
}
