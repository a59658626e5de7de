package hello

import java.net.{HttpURLConnection, URL}
import java.nio.charset.StandardCharsets.UTF_8

/**
 * The function's own client of the Lambda Runtime API over java.net.HttpURLConnection, as a
 * custom-runtime Scala function has it: GET invocation/next, then POST invocation/<id>/response,
 * or invocation/<id>/error with Lambda-Runtime-Function-Error-Type; init/error when the handler
 * cannot start.
 */
object Main {
  def main(args: Array[String]): Unit = {
    val base = s"http://${sys.env("AWS_LAMBDA_RUNTIME_API")}/2018-06-01/runtime"
    val handler =
      try new Handler(Config.load())
      catch {
        case e: Exception =>
          post(s"$base/init/error", errorJson(e), Some("Runtime.InitError"))
          sys.exit(1)
      }
    while (true) {
      val next = open(s"$base/invocation/next")
      val event = Config.using(scala.io.Source.fromInputStream(next.getInputStream, "UTF-8"))(_.mkString)
      val id = next.getHeaderField("Lambda-Runtime-Aws-Request-Id")
      val deadline = Option(next.getHeaderField("Lambda-Runtime-Deadline-Ms")).map(_.toLong)
      try post(s"$base/invocation/$id/response", handler.handle(event, deadline), None)
      catch {
        case e: Exception => post(s"$base/invocation/$id/error", errorJson(e), Some("Unhandled"))
      }
    }
  }

  private def open(url: String): HttpURLConnection = new URL(url).openConnection().asInstanceOf[HttpURLConnection]

  private def post(url: String, body: String, errorType: Option[String]): Unit = {
    val c = open(url)
    c.setRequestMethod("POST")
    c.setDoOutput(true)
    c.setRequestProperty("Content-Type", "application/json")
    errorType.foreach(c.setRequestProperty("Lambda-Runtime-Function-Error-Type", _))
    val out = c.getOutputStream
    try out.write(body.getBytes(UTF_8))
    finally out.close()
    // reading the answer completes the request (and lets the connection be reused)
    if (c.getResponseCode >= 400) sys.error(s"POST $url: HTTP ${c.getResponseCode}")
    c.getInputStream.close()
  }

  private def errorJson(e: Throwable): String = {
    def quote(s: String) = "\"" + String.valueOf(s).replace("\\", "\\\\").replace("\"", "\\\"") + "\""
    s"""{"errorMessage":${quote(e.getMessage)},"errorType":${quote(e.getClass.getName)}}"""
  }
}
