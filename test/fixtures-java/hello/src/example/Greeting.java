package example;

public class Greeting {
  private final String name;

  public Greeting(String name) {
    this.name = name;
  }

  public String text() {
    return "hello, " + name;
  }
}
