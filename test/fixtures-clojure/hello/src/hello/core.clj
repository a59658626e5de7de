(ns hello.core
  "A Lambda function in Clojure with its own Runtime API client (java.net.http), for the trace
  tests: run from source, namespaces load at run time, so a trace records the namespace-loading
  noise that `--preset clojure` removes."
  (:require [clojure.string :as str]
            [clojure.edn :as edn]
            [clojure.java.io :as io])
  (:import (java.net URI)
           (java.net.http HttpClient HttpRequest HttpRequest$BodyPublishers HttpResponse$BodyHandlers))
  (:gen-class))

(defn handle
  "The function: reads its config resource and answers with a greeting."
  [event]
  (let [config (edn/read-string (slurp (io/resource "hello/config.edn")))
        name (second (re-find #"\"name\"\s*:\s*\"([^\"]*)\"" event))]
    (when (str/includes? event "\"throw\"")
      (throw (ex-info "asked to fail" {})))
    (str "{\"message\":\"" (:greeting config) ", " (str/upper-case (or name "world")) "\"}")))

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
