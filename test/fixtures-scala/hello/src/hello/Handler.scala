package hello

import java.io.StringReader
import java.util.Properties
import scala.concurrent.{Await, Future}
import scala.concurrent.ExecutionContext.Implicits.global
import scala.concurrent.duration._
import scala.language.reflectiveCalls

/** The event, as far as the function reads it. */
case class Request(name: String)

/** The answer. */
case class Greeting(message: String) {
  def toJson: String = s"""{"message":"$message"}"""
}

/** The function's settings, from its own resource hello/greeting.properties. */
case class Config(greeting: String)

object Config {

  /**
   * The loan pattern over a structural type, as Scala 2 code has it where scala.util.Using does not
   * exist yet: `close()` is a reflective call (Class.getMethod on the resource's class).
   */
  def using[A <: { def close(): Unit }, B](resource: A)(f: A => B): B =
    try f(resource)
    finally resource.close()

  /** Reads the settings; HELLO_GREETING in the environment overrides the resource. */
  def load(): Config = {
    val in = Option(getClass.getResourceAsStream("/hello/greeting.properties"))
      .getOrElse(throw new IllegalStateException("hello/greeting.properties is not on the class path"))
    val props = new Properties
    props.load(new StringReader(using(scala.io.Source.fromInputStream(in, "UTF-8"))(_.mkString)))
    Config(scala.util.Properties.envOrElse("HELLO_GREETING", props.getProperty("greeting")))
  }
}

/** The function: greets the event's name; an event with "throw" in it fails. */
class Handler(config: Config) {
  private val Name = "\"name\"\\s*:\\s*\"([^\"]*)\"".r.unanchored

  def handle(event: String, deadlineMs: Option[Long]): String = {
    val request = event match {
      case Name(name) => Request(name)
      case _          => Request("world")
    }
    if (event.contains("\"throw\"")) throw new IllegalArgumentException("asked to fail")
    // the work runs on the global execution context, bounded by what is left of the invocation
    val budget = deadlineMs.fold(10000L)(d => math.max(d - System.currentTimeMillis - 100, 1L))
    Await.result(Future(Greeting(s"${config.greeting}, ${request.name.toUpperCase}")), budget.millis).toJson
  }
}
