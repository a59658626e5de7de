(ns hello.core
  "A Lambda function in Clojure with its own Runtime API client (java.net.http), for the trace
  tests. It runs two ways: from source (clojure.main -m hello.core: namespaces load and compile at
  run time, so a trace records the namespace-loading noise that `--preset clojure` removes), and
  AOT-compiled by build.sh as for a native-image build (java hello.core, from the __init classes).
  The handler does what real Clojure Lambda code does: reads its own config resource, calls a Java
  method without a type hint (clojure.lang.Reflector looks it up at run time) and makes a typed
  array with into-array for a varargs Java method."
  (:require [clojure.string :as str]
            [clojure.edn :as edn]
            [clojure.java.io :as io])
  (:import (java.net URI)
           (java.util Arrays)
           (java.net.http HttpClient HttpRequest HttpRequest$BodyPublishers HttpResponse$BodyHandlers))
  (:gen-class))

(defn- first-of
  "The first element of `xs`, a java.util.List that Java code built (Arrays/asList), used without a
  type hint as in much handler code: clojure.lang.Reflector finds `get` at run time, and because
  the list's class (java.util.Arrays$ArrayList) is not public, looks the method up again on its
  public superclass, java.util.AbstractList."
  [xs]
  (.get xs 0))

(defn handle
  "The function: reads its config resource and greets the first of the event's names."
  [event]
  (let [config (edn/read-string (slurp (io/resource "hello/config.edn")))
        name (second (re-find #"\"name\"\s*:\s*\"([^\"]*)\"" event))]
    (when (str/includes? event "\"throw\"")
      (throw (ex-info "asked to fail" {})))
    ;; into-array makes the typed array that a varargs Java method takes
    (let [names (Arrays/asList (into-array CharSequence (str/split (str/upper-case (or name "world")) #",")))
          others (dec (count names))]
      (str "{\"message\":\"" (:greeting config) ", " (first-of names)
           (when (pos? others) (str " and " others " more")) "\"}"))))

(defn -main [& _]
  (let [api (System/getenv "AWS_LAMBDA_RUNTIME_API")
        base (str "http://" api "/2018-06-01/runtime")
        http (HttpClient/newHttpClient)
        send! (fn [url body error?]
                (let [b (cond-> (HttpRequest/newBuilder (URI/create url))
                          error? (.header "Lambda-Runtime-Function-Error-Type" "Unhandled"))]
                  (.send http (.build (.POST b (HttpRequest$BodyPublishers/ofString body))) (HttpResponse$BodyHandlers/discarding))))]
    (loop []
      (let [next (.send http (.build (.GET (HttpRequest/newBuilder (URI/create (str base "/invocation/next"))))) (HttpResponse$BodyHandlers/ofString))
            id (.get (.firstValue (.headers next) "Lambda-Runtime-Aws-Request-Id"))]
        (try
          (send! (str base "/invocation/" id "/response") (handle (.body next)) false)
          (catch Exception e
            (send! (str base "/invocation/" id "/error") (str "{\"errorMessage\":\"" (.getMessage e) "\",\"errorType\":\"" (.getName (class e)) "\"}") true)))
        (recur)))))
