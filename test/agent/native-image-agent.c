/*
 * A stand-in for GraalVM's native-image-agent, for tests on machines without GraalVM.
 * It follows the agent that writes the legacy files (GraalVM for JDK 17/21/22; oracle/graal
 * substratevm/src/com.oracle.svm.agent: NativeImageAgent.java, BreakpointInterceptor.java,
 * configwithorigins/, conditionalconfig/) as far as ni-config relies on it; docs/evidence.md
 * says where each behaviour comes from.
 *   - loaded as -agentlib:native-image-agent=... or -agentpath:.../libnative-image-agent.so=...
 *   - the real agent's options, parsed the same way (comma-separated, `opt` or `opt=true|false`
 *     for booleans, {pid} and {datetime} in paths); an unknown option is a usage error. The same
 *     refusals with the same messages on stderr, prefixed `native-image-agent: `, after which
 *     the JVM does not start: trace-output= twice; config-output-dir=/config-merge-dir= twice;
 *     more than one of trace-output= and an output directory ("can only once specify exactly
 *     one of ..."); config-write-period-secs not > 0; config-write-initial-delay-secs < 0;
 *     experimental-configuration-with-origins with experimental-conditional-config-filter-file=;
 *     that filter file with experimental-conditional-config-part. With config-merge-dir the
 *     origins mode is switched off with the agent's message. Accepted but not applied:
 *     caller-filter-file=, access-filter-file=, builtin-heuristic-filter, config-to-omit=,
 *     experimental-omit-config-from-classpath, experimental-class-loader-support,
 *     experimental-class-define-support, experimental-unsafe-allocation-support,
 *     conditional-config-class-filter-file=; with config-merge-dir the directory's files are not
 *     read (ni-config never merges in the agent). No check of the JVM's version.
 *   - config-output-dir / config-merge-dir: a .lock file holding the pid, created exclusively (a
 *     locked directory stops the JVM); each write goes to agent-pid<pid>-<datetime>.tmp/ inside
 *     the output directory and its files are renamed into place once the lock is seen to be
 *     still there; with config-write-period-secs (and config-write-initial-delay-secs) periodic
 *     writes on an agent thread; a final write at VM death, then the lock is removed. Writes the
 *     six legacy files (reflect, jni, proxy, resource, serialization, predefined-classes).
 *   - experimental-configuration-with-origins: instead of those files, the call tree of every
 *     lookup, one text file per kind (<kind>-origins.txt, kinds and order as the agent's
 *     ConfigurationFile.agentGeneratedFiles), as HumanReadableConfigurationWithOrigins prints it.
 *   - experimental-conditional-config-part: instead of those files, partial-config-with-origins.json,
 *     the whole call tree as JSON with each node's config (PartialConfigurationWithOrigins).
 *     Both tree modes take the full stack (JVMTI GetStackTrace) at every intercepted call, as
 *     the agent's EagerlyLoadedJavaStackAccess does, and, as the agent, write only at VM death.
 *   - trace-output=FILE: the raw trace, one JSON object per intercepted call (and the meta
 *     events), unfiltered, as TraceFileWriter writes it; closed at VM death.
 *   - intercepts with JVMTI breakpoints at their first bytecode, reading the arguments with
 *     GetLocalObject: Class.forName (both overloads), getMethod, getDeclaredMethod,
 *     getConstructor, getDeclaredConstructor, getMethods, getDeclaredMethods, getConstructors,
 *     getDeclaredConstructors (these eight only with track-reflection-metadata, the default, as
 *     the agent installs them), getField, getDeclaredField, getFields, getDeclaredFields,
 *     Class.newInstance, Method.invoke, Constructor.newInstance, ClassLoader.getResource and
 *     getResources. As the agent it calls the looked-up method itself first (no nested events
 *     meanwhile) and drops lookups that fail: a ClassNotFoundException from forName, a null
 *     method, constructor or field.
 *   - records what the agent records for them: a type for forName; getMethods ->
 *     queryAllPublicMethods, getDeclaredMethods -> queryAllDeclaredMethods, getConstructors ->
 *     queryAllPublicConstructors, getDeclaredConstructors -> queryAllDeclaredConstructors,
 *     getFields -> allPublicFields, getDeclaredFields -> allDeclaredFields; Method.invoke and
 *     Constructor.newInstance -> the method on its declaring class, accessed ("methods");
 *     getField/getMethod on the declaring class of what they found, plus the queried type.
 * Where it still differs from the agent: getMethod, getDeclaredMethod, getConstructor and
 * getDeclaredConstructor give "methods", not the agent's "queriedMethods"; a lookup is kept when
 * the first caller outside the reflection and class-loading machinery is not JDK code, where the
 * agent keeps a reflective lookup by its direct caller with its built-in caller filter (which
 * lets JDK callers such as java.security.Provider$Service through, so the agent also records the
 * JCA classes a TLS client looks up) and keeps every resource that exists, whoever asks; a
 * resource is recorded whether it exists or not; no JNI, proxies, serialization, bundles,
 * ClassLoader.loadClass, method handles, Array.newInstance or Unsafe. The trees and the trace
 * hold every intercepted call, as the agent's do.
 */
#define _GNU_SOURCE
#include <jvmti.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static jvmtiEnv *jvmti;
static jrawMonitorID lock;
static char out_dir[4096];
static char trace_path[4096];
static FILE *trace_file;
static int trace_written = 0;
static int period = -1, initial_delay = 1, dead = 0;
static int origins = 0, partial = 0, track_reflection_metadata = 1;
static __thread int busy = 0; /* inside our own calls into Java: no events (BreakpointInterceptor.recursive) */

#define USAGE_ERROR 1
#define AGENT_ERROR 3

static void inform(const char *message) { fprintf(stderr, "native-image-agent: %s\n", message); }

static int usage(const char *message) {
  inform(message);
  inform("Example usage: -agentlib:native-image-agent=config-output-dir=/path/to/config-dir/");
  inform("For details, please read AutomaticMetadataCollection.md or https://www.graalvm.org/dev/reference-manual/native-image/metadata/AutomaticMetadataCollection/");
  return USAGE_ERROR;
}

static int error(int code, const char *message) {
  fprintf(stderr, "native-image-agent: Error: %s\n", message);
  return code;
}

/* ------------------------------------------------------------------------------------------ */
/* small containers */

typedef struct {
  char *data;
  size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    b->cap = (b->len + n + 1) * 2;
    b->data = realloc(b->data, b->cap);
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}
static void sb_puts(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_json(sbuf *b, const char *s) {
  sb_puts(b, "\"");
  for (; *s; s++) {
    char esc[8];
    if (*s == '"' || *s == '\\') { esc[0] = '\\'; esc[1] = *s; sb_add(b, esc, 2); }
    else if ((unsigned char)*s < 0x20) { snprintf(esc, sizeof esc, "\\u%04x", (unsigned char)*s); sb_puts(b, esc); }
    else sb_add(b, s, 1);
  }
  sb_puts(b, "\"");
}

/* A set of strings in insertion order. */
typedef struct {
  char **items;
  size_t n, cap;
  size_t *slots; /* index + 1, 0 = empty */
  size_t nslots;
} strset;

static size_t hash_str(const char *s) {
  size_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

static int strset_add(strset *s, const char *v) {
  if ((s->n + 1) * 2 > s->nslots) {
    size_t ns = s->nslots ? s->nslots * 2 : 16;
    size_t *slots = calloc(ns, sizeof(size_t));
    for (size_t i = 0; i < s->n; i++) {
      size_t h = hash_str(s->items[i]) & (ns - 1);
      while (slots[h]) h = (h + 1) & (ns - 1);
      slots[h] = i + 1;
    }
    free(s->slots);
    s->slots = slots;
    s->nslots = ns;
  }
  size_t h = hash_str(v) & (s->nslots - 1);
  while (s->slots[h]) {
    if (strcmp(s->items[s->slots[h] - 1], v) == 0) return 0;
    h = (h + 1) & (s->nslots - 1);
  }
  if (s->n == s->cap) {
    s->cap = s->cap ? s->cap * 2 : 8;
    s->items = realloc(s->items, s->cap * sizeof(char *));
  }
  s->items[s->n] = strdup(v);
  s->slots[h] = ++s->n;
  return 1;
}

/* ------------------------------------------------------------------------------------------ */
/* what is recorded: "C\tclass" | "A\tclass\tflag" | "M\tclass\tname\tparams" | "F\tclass\tfield" | "R\tresource" */

static strset entries; /* config mode */

/* The call tree of the origins modes (MethodCallNode): one node per distinct frame sequence. */
typedef struct minfo {
  jmethodID id;
  char *cls, *name, *sig;
} minfo;

typedef struct node {
  minfo *m;
  struct node **kids;
  int nkids, capkids;
  char **config; /* entries, as above */
  int nconfig, capconfig;
  int mark;
} node;

static node root;
static minfo **minfos;
static size_t nminfos, minfo_slots;

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* "Lfoo/Bar$Baz;" -> "foo.Bar$Baz" (MetaUtil.internalNameToJava); a hidden class keeps its ".0x..." suffix. */
static char *java_name_of_signature(const char *sig) {
  size_t n = strlen(sig);
  char *out;
  if (n >= 2 && sig[0] == 'L' && sig[n - 1] == ';') out = strndup(sig + 1, n - 2);
  else out = strdup(sig);
  for (char *p = out; *p; p++) if (*p == '/') *p = '.';
  return out;
}

static minfo *minfo_of(JNIEnv *jni, jmethodID id) {
  if ((nminfos + 1) * 2 > minfo_slots) {
    size_t ns = minfo_slots ? minfo_slots * 2 : 1024;
    minfo **slots = calloc(ns, sizeof(minfo *));
    for (size_t i = 0; i < minfo_slots; i++) {
      if (!minfos[i]) continue;
      size_t h = ((uintptr_t)minfos[i]->id >> 3) & (ns - 1);
      while (slots[h]) h = (h + 1) & (ns - 1);
      slots[h] = minfos[i];
    }
    free(minfos);
    minfos = slots;
    minfo_slots = ns;
  }
  size_t h = ((uintptr_t)id >> 3) & (minfo_slots - 1);
  while (minfos[h]) {
    if (minfos[h]->id == id) return minfos[h];
    h = (h + 1) & (minfo_slots - 1);
  }
  minfo *m = calloc(1, sizeof(minfo));
  m->id = id;
  jclass klass = NULL;
  char *csig = NULL, *name = NULL, *msig = NULL;
  (*jvmti)->GetMethodDeclaringClass(jvmti, id, &klass);
  if (klass) (*jvmti)->GetClassSignature(jvmti, klass, &csig, NULL);
  (*jvmti)->GetMethodName(jvmti, id, &name, &msig, NULL);
  m->cls = java_name_of_signature(csig ? csig : "L?;");
  m->name = strdup(name ? name : "?");
  m->sig = strdup(msig ? msig : "()V");
  if (csig) (*jvmti)->Deallocate(jvmti, (unsigned char *)csig);
  if (name) (*jvmti)->Deallocate(jvmti, (unsigned char *)name);
  if (msig) (*jvmti)->Deallocate(jvmti, (unsigned char *)msig);
  if (klass) (*jni)->DeleteLocalRef(jni, klass);
  minfos[h] = m;
  nminfos++;
  return m;
}

static node *child(node *parent, minfo *m) {
  for (int i = 0; i < parent->nkids; i++) if (parent->kids[i]->m == m) return parent->kids[i];
  if (parent->nkids == parent->capkids) {
    parent->capkids = parent->capkids ? parent->capkids * 2 : 2;
    parent->kids = realloc(parent->kids, parent->capkids * sizeof(node *));
  }
  node *n = calloc(1, sizeof(node));
  n->m = m;
  parent->kids[parent->nkids++] = n;
  return n;
}

static void node_add(node *n, const char *entry) {
  for (int i = 0; i < n->nconfig; i++) if (strcmp(n->config[i], entry) == 0) return;
  if (n->nconfig == n->capconfig) {
    n->capconfig = n->capconfig ? n->capconfig * 2 : 2;
    n->config = realloc(n->config, n->capconfig * sizeof(char *));
  }
  n->config[n->nconfig++] = strdup(entry);
}

/* ------------------------------------------------------------------------------------------ */
/* the legacy files' JSON (the agent's printers: sorted, one entry per type) */

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static const char *FLAGS[] = {"allDeclaredFields", "allPublicFields", "queryAllDeclaredMethods", "queryAllPublicMethods", "queryAllDeclaredConstructors", "queryAllPublicConstructors"};

static int has_kind(char **list, int n, int resources) {
  for (int i = 0; i < n; i++) if ((list[i][0] == 'R') == resources) return 1;
  return 0;
}

/* reflect-config.json's content for the given entries; `nl` ends each line (and indents). */
static void emit_reflect(FILE *f, char **list, int n, const char *nl) {
  char **sorted = malloc(sizeof(char *) * (n + 1));
  memcpy(sorted, list, sizeof(char *) * n);
  qsort(sorted, n, sizeof(char *), compare);
  char **classes = malloc(sizeof(char *) * (n + 1));
  int class_count = 0;
  for (int i = 0; i < n; i++) {
    if (sorted[i][0] == 'R') continue;
    const char *start = sorted[i] + 2;
    const char *tab = strchr(start, '\t');
    size_t len = tab ? (size_t)(tab - start) : strlen(start);
    int seen = 0;
    for (int c = 0; c < class_count && !seen; c++) seen = strlen(classes[c]) == len && strncmp(classes[c], start, len) == 0;
    if (!seen) classes[class_count++] = strndup(start, len);
  }
  qsort(classes, class_count, sizeof(char *), compare);
  fprintf(f, "[%s", nl);
  for (int c = 0; c < class_count; c++) {
    const char *cls = classes[c];
    size_t len = strlen(cls);
    fprintf(f, "%s{%s  \"name\":", c ? "," : "", nl);
    json_string(f, cls);
    for (size_t k = 0; k < sizeof FLAGS / sizeof *FLAGS; k++) {
      for (int j = 0; j < n; j++) {
        if (sorted[j][0] != 'A' || strncmp(sorted[j] + 2, cls, len) != 0 || sorted[j][2 + len] != '\t') continue;
        if (strcmp(sorted[j] + 3 + len, FLAGS[k]) == 0) fprintf(f, ",%s  \"%s\":true", nl, FLAGS[k]);
      }
    }
    int fields = 0, methods = 0;
    for (int j = 0; j < n; j++) {
      if (sorted[j][0] != 'F' || strncmp(sorted[j] + 2, cls, len) != 0 || sorted[j][2 + len] != '\t') continue;
      fprintf(f, fields++ ? ", {\"name\":" : ",%s  \"fields\":[{\"name\":", nl);
      json_string(f, sorted[j] + 3 + len);
      fputs("}", f);
    }
    if (fields) fputs("]", f);
    for (int j = 0; j < n; j++) {
      if (sorted[j][0] != 'M' || strncmp(sorted[j] + 2, cls, len) != 0 || sorted[j][2 + len] != '\t') continue;
      char name[512], params[2048];
      const char *rest = sorted[j] + 3 + len;
      const char *t2 = strchr(rest, '\t');
      snprintf(name, sizeof name, "%.*s", (int)(t2 - rest), rest);
      snprintf(params, sizeof params, "%s", t2 + 1);
      fprintf(f, methods++ ? ", {\"name\":" : ",%s  \"methods\":[{\"name\":", nl);
      json_string(f, name);
      fputs(",\"parameterTypes\":[", f);
      int k = 0;
      char *save = NULL;
      for (char *p = strtok_r(params, ",", &save); p; p = strtok_r(NULL, ",", &save)) { if (k++) fputc(',', f); json_string(f, p); }
      fputs("] }", f);
    }
    if (methods) fputs("]", f);
    fprintf(f, "%s}", nl);
  }
  for (int c = 0; c < class_count; c++) free(classes[c]);
  free(classes);
  free(sorted);
  fprintf(f, "%s]", nl);
}

/* resource-config.json's content for the given entries. */
static void emit_resource(FILE *f, char **list, int n, const char *nl) {
  char **sorted = malloc(sizeof(char *) * (n + 1));
  memcpy(sorted, list, sizeof(char *) * n);
  qsort(sorted, n, sizeof(char *), compare);
  fprintf(f, "{%s  \"resources\":{%s  \"includes\":[", nl, nl);
  int first = 1;
  for (int i = 0; i < n; i++) {
    if (sorted[i][0] != 'R') continue;
    fprintf(f, "%s%s    {%s      \"pattern\":\"\\\\Q", first ? "" : ", ", nl, nl);
    first = 0;
    for (const char *s = sorted[i] + 2; *s; s++) { if (*s == '"' || *s == '\\') fputc('\\', f); fputc(*s, f); }
    fprintf(f, "\\\\E\"%s    }", nl);
  }
  fprintf(f, "%s  ]},%s  \"bundles\":[]%s}", nl, nl, nl);
  free(sorted);
}

static const char *EMPTY_JNI = "[\n]\n", *EMPTY_PROXY = "[\n]\n",
                  *EMPTY_SERIALIZATION = "{\n  \"types\":[\n  ],\n  \"lambdaCapturingTypes\":[\n  ],\n  \"proxies\":[\n  ]\n}\n",
                  *EMPTY_PREDEFINED = "[\n  {\n    \"type\":\"agent-extracted\",\n    \"classes\":[\n    ]\n  }\n]\n";

/* ------------------------------------------------------------------------------------------ */
/* the origins files */

/* The kinds in the agent's order (ConfigurationFile.agentGeneratedFiles of the legacy writer). */
static const char *KINDS[] = {"proxy", "resource", "jni", "reflect", "serialization", "predefined-classes"};
#define KIND_RESOURCE 1
#define KIND_REFLECT 3

static int node_has(node *n, int kind) {
  if (kind == KIND_RESOURCE) return has_kind(n->config, n->nconfig, 1);
  if (kind == KIND_REFLECT) return has_kind(n->config, n->nconfig, 0);
  return 0;
}

/* Marks the nodes that have config of `kind` or a descendant that has (getNodesWithNonEmptyConfig). */
static int mark(node *n, int kind) {
  int any = node_has(n, kind);
  for (int i = 0; i < n->nkids; i++) any |= mark(n->kids[i], kind);
  n->mark = any;
  return any;
}

/* `declaringClass#name(param,param)`, the parameters as SignatureUtil.toParameterTypes gives them. */
static void print_method(FILE *f, minfo *m) {
  static const char *PRIMS = "ZBCSIJFDV";
  static const char *PRIM_NAMES[] = {"boolean", "byte", "char", "short", "int", "long", "float", "double", "void"};
  fprintf(f, "%s#%s(", m->cls, m->name);
  int dims = 0, first = 1;
  for (const char *p = m->sig + 1; *p && *p != ')'; p++) {
    if (*p == '[') { dims++; continue; }
    if (!first) fputc(',', f);
    first = 0;
    if (*p == 'L') {
      const char *end = strchr(p, ';');
      for (const char *q = p + 1; q < end; q++) fputc(*q == '/' ? '.' : *q, f);
      p = end;
    } else {
      const char *k = strchr(PRIMS, *p);
      fputs(k ? PRIM_NAMES[k - PRIMS] : "?", f);
    }
    for (; dims > 0; dims--) fputs("[]", f);
  }
  fputc(')', f);
}

static void print_config_line(FILE *f, node *n, int kind) {
  char *text = NULL;
  size_t size = 0;
  FILE *mem = open_memstream(&text, &size);
  if (kind == KIND_REFLECT) emit_reflect(mem, n->config, n->nconfig, "\n");
  else emit_resource(mem, n->config, n->nconfig, "\n");
  fclose(mem);
  for (char *p = text; *p; p++) if (*p == '\n') *p = ' ';
  fputs(" - ", f);
  fputs(text, f);
  free(text);
}

static void print_origins(FILE *f, node *n, const char *prefix, int kind) {
  int last = -1;
  for (int i = 0; i < n->nkids; i++) if (n->kids[i]->mark) last = i;
  for (int i = 0; i < n->nkids; i++) {
    node *k = n->kids[i];
    if (!k->mark) continue;
    fprintf(f, "%s%s", prefix, i == last ? "\u2514\u2500\u2500 " : "\u251c\u2500\u2500 ");
    print_method(f, k->m);
    if (node_has(k, kind)) print_config_line(f, k, kind);
    fputc('\n', f);
    char deeper[8192];
    snprintf(deeper, sizeof deeper, "%s%s", prefix, i == last ? "    " : "\u2502   ");
    print_origins(f, k, deeper, kind);
  }
}

static void indent(FILE *f, int depth) {
  fputc('\n', f);
  for (int i = 0; i < depth; i++) fputs("  ", f);
}

/* One node of partial-config-with-origins.json, at JSON indentation `depth`. */
static void print_partial(FILE *f, node *n, int depth) {
  fputc('{', f);
  indent(f, depth + 1);
  fputs("\"class\": ", f);
  json_string(f, n->m ? n->m->cls : "<root>");
  fputc(',', f);
  indent(f, depth + 1);
  fputs("\"method\": ", f);
  json_string(f, n->m ? n->m->name : "<root>");
  fputc(',', f);
  indent(f, depth + 1);
  fputs("\"signature\": ", f);
  json_string(f, n->m ? n->m->sig : "()V");
  fputc(',', f);
  indent(f, depth + 1);
  fputs("\"methods\": [", f);
  for (int i = 0; i < n->nkids; i++) {
    if (i) fputc(',', f);
    indent(f, depth + 1);
    print_partial(f, n->kids[i], depth + 1);
  }
  indent(f, depth + 1);
  fputc(']', f);
  int resources = has_kind(n->config, n->nconfig, 1), reflect = has_kind(n->config, n->nconfig, 0);
  if (resources || reflect) {
    char nl[256];
    int width = 2 * (depth + 2);
    if (width > 250) width = 250;
    nl[0] = '\n';
    memset(nl + 1, ' ', width);
    nl[width + 1] = 0;
    fputc(',', f);
    indent(f, depth + 1);
    fputs("\"config\": {", f);
    indent(f, depth + 2);
    if (resources) {
      fputs("\"resource\": ", f);
      emit_resource(f, n->config, n->nconfig, nl);
    }
    if (resources && reflect) {
      fputc(',', f);
      indent(f, depth + 2);
    }
    if (reflect) {
      fputs("\"reflect\": ", f);
      emit_reflect(f, n->config, n->nconfig, nl);
    }
    indent(f, depth + 1);
    fputc('}', f);
  }
  indent(f, depth);
  fputc('}', f);
}

/* ------------------------------------------------------------------------------------------ */
/* writing: every file into a temp dir inside the output dir, then renamed into place */

static void expand(const char *in, char *out, size_t size) {
  char pid[32], stamp[32];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  snprintf(pid, sizeof pid, "%d", (int)getpid());
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  size_t o = 0;
  for (const char *p = in; *p && o + 1 < size;) {
    const char *rep = NULL;
    if (strncmp(p, "{pid}", 5) == 0) { rep = pid; p += 5; }
    else if (strncmp(p, "{datetime}", 10) == 0) { rep = stamp; p += 10; }
    if (rep) { for (; *rep && o + 1 < size; rep++) out[o++] = *rep; }
    else out[o++] = *p++;
  }
  out[o] = 0;
}

static int mkdirs(const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  for (char *p = tmp + 1; *p; p++) {
    if (*p == '/') { *p = 0; if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return -1; *p = '/'; }
  }
  return (mkdir(tmp, 0755) != 0 && errno != EEXIST) ? -1 : 0;
}

static void write_text(const char *dir, const char *name, const char *text) {
  char path[4400];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) return;
  fputs(text, f);
  fclose(f);
}

static void write_config(void) {
  char tmp[4200], stamp[32], path[4400], target[4400], lockpath[4200];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  snprintf(tmp, sizeof tmp, "%s/agent-pid%d-%s.tmp", out_dir, (int)getpid(), stamp);
  if (mkdir(tmp, 0755) != 0 && errno != EEXIST) return;

  const char *names[8];
  int count = 0;
  (*jvmti)->RawMonitorEnter(jvmti, lock);
  if (partial) {
    names[count++] = "partial-config-with-origins.json";
    snprintf(path, sizeof path, "%s/%s", tmp, names[0]);
    FILE *f = fopen(path, "w");
    if (f) {
      fputs("{\n  \"configuration-with-origins\": ", f);
      print_partial(f, &root, 1);
      fputs("\n}\n", f);
      fclose(f);
    }
  } else if (origins) {
    for (int k = 0; k < 6; k++) {
      static char file_names[6][64];
      snprintf(file_names[k], sizeof file_names[k], "%s-origins.txt", KINDS[k]);
      names[count++] = file_names[k];
      snprintf(path, sizeof path, "%s/%s", tmp, file_names[k]);
      FILE *f = fopen(path, "w");
      if (!f) continue;
      mark(&root, k);
      fputs("root\n", f);
      print_origins(f, &root, "", k);
      fputs("\n", f);
      fclose(f);
    }
  } else {
    const char *all[] = {"reflect-config.json", "resource-config.json", "jni-config.json", "proxy-config.json", "serialization-config.json", "predefined-classes-config.json"};
    for (int i = 0; i < 6; i++) names[count++] = all[i];
    snprintf(path, sizeof path, "%s/reflect-config.json", tmp);
    FILE *f = fopen(path, "w");
    if (f) { emit_reflect(f, entries.items, (int)entries.n, "\n"); fputs("\n", f); fclose(f); }
    snprintf(path, sizeof path, "%s/resource-config.json", tmp);
    f = fopen(path, "w");
    if (f) { emit_resource(f, entries.items, (int)entries.n, "\n"); fputs("\n", f); fclose(f); }
    write_text(tmp, "jni-config.json", EMPTY_JNI);
    write_text(tmp, "proxy-config.json", EMPTY_PROXY);
    write_text(tmp, "serialization-config.json", EMPTY_SERIALIZATION);
    write_text(tmp, "predefined-classes-config.json", EMPTY_PREDEFINED);
  }
  (*jvmti)->RawMonitorExit(jvmti, lock);

  /* the real agent checks that its lock is still there before it replaces anything */
  snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
  if (access(lockpath, F_OK) == 0) {
    for (int i = 0; i < count; i++) {
      snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
      snprintf(target, sizeof target, "%s/%s", out_dir, names[i]);
      rename(path, target);
    }
  }
  for (int i = 0; i < count; i++) { snprintf(path, sizeof path, "%s/%s", tmp, names[i]); unlink(path); }
  rmdir(tmp);
}

/* ------------------------------------------------------------------------------------------ */
/* interception */

enum target {
  FOR_NAME, FOR_NAME_LOADER, GET_FIELD, GET_DECLARED_FIELD, GET_FIELDS, GET_DECLARED_FIELDS, CLASS_NEW_INSTANCE, METHOD_INVOKE,
  CONSTRUCTOR_NEW_INSTANCE, GET_RESOURCE, GET_RESOURCES,
  /* REFLECTION_QUERIES_BREAKPOINT_SPECIFICATIONS: installed only with track-reflection-metadata */
  GET_METHOD, GET_DECLARED_METHOD, GET_CONSTRUCTOR, GET_DECLARED_CONSTRUCTOR, GET_METHODS, GET_DECLARED_METHODS, GET_CONSTRUCTORS,
  GET_DECLARED_CONSTRUCTORS, TARGETS
};
static const char *FUNCTION[TARGETS] = {"forName", "forName", "getField", "getDeclaredField", "getFields", "getDeclaredFields", "newInstance",
                                        "invokeMethod", "invokeConstructor", "getResource", "getResources", "getMethod", "getDeclaredMethod",
                                        "getConstructor", "getDeclaredConstructor", "getMethods", "getDeclaredMethods", "getConstructors",
                                        "getDeclaredConstructors"};
static jmethodID targets[TARGETS];
static jmethodID class_get_name, member_get_declaring_class, member_get_name, executable_get_parameter_types, class_for_name3,
    enumeration_has_more;
static jclass class_not_found;

static char *class_name(JNIEnv *jni, jobject cls) {
  if (cls == NULL) return NULL;
  jstring s = (jstring)(*jni)->CallObjectMethod(jni, cls, class_get_name);
  if ((*jni)->ExceptionCheck(jni) || s == NULL) { (*jni)->ExceptionClear(jni); return NULL; }
  const char *utf = (*jni)->GetStringUTFChars(jni, s, NULL);
  char *copy = strdup(utf);
  (*jni)->ReleaseStringUTFChars(jni, s, utf);
  (*jni)->DeleteLocalRef(jni, s);
  /* arrays come back as [Ljava.lang.String; — the agent writes names as Class.getName gives them */
  return copy;
}

static char *string_value(JNIEnv *jni, jobject s) {
  if (s == NULL) return NULL;
  const char *utf = (*jni)->GetStringUTFChars(jni, (jstring)s, NULL);
  char *copy = strdup(utf);
  (*jni)->ReleaseStringUTFChars(jni, (jstring)s, utf);
  return copy;
}

/* The class names of a Class[] as "a,b,c" into `out`, and as a JSON array into `json`. */
static void class_list(JNIEnv *jni, jobjectArray array, char *out, size_t size, sbuf *json) {
  out[0] = 0;
  if (array == NULL) { if (json) sb_puts(json, "null"); return; }
  if (json) sb_puts(json, "[");
  jsize count = (*jni)->GetArrayLength(jni, array);
  for (jsize i = 0; i < count; i++) {
    jobject c = (*jni)->GetObjectArrayElement(jni, array, i);
    char *p = class_name(jni, c);
    if (i) { strncat(out, ",", size - strlen(out) - 1); if (json) sb_puts(json, ","); }
    strncat(out, p ? p : "null", size - strlen(out) - 1);
    if (json) sb_json(json, p ? p : "null");
    free(p);
    (*jni)->DeleteLocalRef(jni, c);
  }
  if (json) sb_puts(json, "]");
}

/* The class of the frame at `depth` (1: the direct caller of the intercepted method). */
static char *frame_class(JNIEnv *jni, jthread thread, int depth) {
  jmethodID m;
  jlocation loc;
  jclass klass = NULL;
  if ((*jvmti)->GetFrameLocation(jvmti, thread, depth, &m, &loc) != JVMTI_ERROR_NONE) return NULL;
  if ((*jvmti)->GetMethodDeclaringClass(jvmti, m, &klass) != JVMTI_ERROR_NONE) return NULL;
  char *name = class_name(jni, klass);
  (*jni)->DeleteLocalRef(jni, klass);
  return name;
}

/*
 * Whether a lookup is kept: the first caller outside the reflection and class-loading machinery is
 * not JDK code. (The agent keeps reflective lookups by their direct caller with its built-in
 * caller filter, which lets some JDK callers through, and keeps every resource found.)
 */
static int caller_is_app(jthread thread) {
  for (int depth = 1; depth < 12; depth++) {
    jmethodID m;
    jlocation loc;
    if ((*jvmti)->GetFrameLocation(jvmti, thread, depth, &m, &loc) != JVMTI_ERROR_NONE) return 0;
    jclass klass;
    char *sig = NULL;
    (*jvmti)->GetMethodDeclaringClass(jvmti, m, &klass);
    (*jvmti)->GetClassSignature(jvmti, klass, &sig, NULL);
    int skip = strcmp(sig, "Ljava/lang/Class;") == 0 || strcmp(sig, "Ljava/lang/ClassLoader;") == 0 || strncmp(sig, "Ljdk/internal/loader/", 21) == 0 ||
               strncmp(sig, "Ljava/lang/reflect/", 19) == 0 || strncmp(sig, "Ljdk/internal/reflect/", 22) == 0 || strncmp(sig, "Ljava/net/URLClassLoader", 24) == 0 ||
               strncmp(sig, "Ljava/security/SecureClassLoader", 32) == 0;
    int jdk = strncmp(sig, "Ljava/", 6) == 0 || strncmp(sig, "Ljavax/", 7) == 0 || strncmp(sig, "Ljdk/", 5) == 0 || strncmp(sig, "Lsun/", 5) == 0 || strncmp(sig, "Lcom/sun/", 9) == 0;
    (*jvmti)->Deallocate(jvmti, (unsigned char *)sig);
    if (!skip) return !jdk;
  }
  return 0;
}

/* Whether the last call threw; clears it. */
static int threw(JNIEnv *jni) {
  if (!(*jni)->ExceptionCheck(jni)) return 0;
  (*jni)->ExceptionClear(jni);
  return 1;
}

/* One intercepted call, as the agent's tracer sees it. */
typedef struct {
  const char *function;
  char *cls, *declaring, *caller;
  int result; /* -1: none traced, 0: false, 1: true */
  sbuf args;  /* the JSON array of arguments */
  char *record[3];
  int nrecord;
} event;

static void keep(event *e, const char *fmt, const char *a, const char *b, const char *c) {
  char buf[4096];
  snprintf(buf, sizeof buf, fmt, a, b, c);
  e->record[e->nrecord++] = strdup(buf);
}

static void write_trace_event(event *e) {
  sbuf b = {0};
  sb_puts(&b, "{\"tracer\":\"reflect\", \"function\":");
  sb_json(&b, e->function);
  if (e->cls) { sb_puts(&b, ", \"class\":"); sb_json(&b, e->cls); }
  if (e->declaring) { sb_puts(&b, ", \"declaring_class\":"); sb_json(&b, e->declaring); }
  if (e->caller) { sb_puts(&b, ", \"caller_class\":"); sb_json(&b, e->caller); }
  if (e->result >= 0) { sb_puts(&b, ", \"result\":"); sb_json(&b, e->result ? "true" : "false"); }
  sb_puts(&b, ", \"args\":");
  sb_puts(&b, e->args.data ? e->args.data : "[]");
  sb_puts(&b, "}");
  (*jvmti)->RawMonitorEnter(jvmti, lock);
  if (trace_file) {
    if (trace_written++) fputs(",\n", trace_file);
    fputs(b.data, trace_file);
  }
  (*jvmti)->RawMonitorExit(jvmti, lock);
  free(b.data);
}

static void trace_meta(const char *fields) {
  if (!trace_file) return;
  (*jvmti)->RawMonitorEnter(jvmti, lock);
  if (trace_written++) fputs(",\n", trace_file);
  fprintf(trace_file, "{\"tracer\":\"meta\", %s}", fields);
  (*jvmti)->RawMonitorExit(jvmti, lock);
}

/* Fills `e` for the call at breakpoint `t`. Returns 0 when the call is of no interest. */
static int inspect(JNIEnv *jni, jthread thread, int t, event *e) {
  jobject a0 = NULL, a1 = NULL, a2 = NULL;
  char list[2048];
  e->function = FUNCTION[t];
  e->result = -1;
  (*jvmti)->GetLocalObject(jvmti, thread, 0, 0, &a0);
  switch (t) {
    case FOR_NAME:
    case FOR_NAME_LOADER: {
      char *name = string_value(jni, a0);
      if (!name) return 0;
      jobject loader = NULL;
      if (t == FOR_NAME_LOADER) (*jvmti)->GetLocalObject(jvmti, thread, 0, 2, &loader);
      else {
        jmethodID m;
        jlocation loc;
        jclass caller = NULL;
        if ((*jvmti)->GetFrameLocation(jvmti, thread, 1, &m, &loc) == JVMTI_ERROR_NONE) (*jvmti)->GetMethodDeclaringClass(jvmti, m, &caller);
        if (caller) (*jvmti)->GetClassLoader(jvmti, caller, &loader);
      }
      /* as the agent: look it up without initialising; only a ClassNotFoundException makes it a miss */
      jclass klass = (*jni)->FindClass(jni, "java/lang/Class");
      jobject found = (*jni)->CallStaticObjectMethod(jni, klass, class_for_name3, a0, JNI_FALSE, loader);
      jthrowable ex = (*jni)->ExceptionOccurred(jni);
      if (ex) {
        (*jni)->ExceptionClear(jni);
        e->result = !(*jni)->IsInstanceOf(jni, ex, class_not_found);
      } else e->result = found != NULL;
      e->cls = strdup("java.lang.Class");
      sb_puts(&e->args, "[");
      sb_json(&e->args, name);
      sb_puts(&e->args, "]");
      if (e->result) keep(e, "C\t%s", name, NULL, NULL);
      free(name);
      return 1;
    }
    case GET_RESOURCE:
    case GET_RESOURCES: {
      (*jvmti)->GetLocalObject(jvmti, thread, 0, 1, &a1);
      char *name = string_value(jni, a1);
      if (!name) return 0;
      e->cls = a0 ? class_name(jni, (*jni)->GetObjectClass(jni, a0)) : NULL;
      jobject value = (*jni)->CallObjectMethod(jni, a0, targets[t], a1);
      e->result = !threw(jni) && value != NULL;
      if (e->result && t == GET_RESOURCES) {
        e->result = (*jni)->CallBooleanMethod(jni, value, enumeration_has_more);
        if (threw(jni)) e->result = 0;
      }
      sb_puts(&e->args, "[");
      sb_json(&e->args, name);
      sb_puts(&e->args, "]");
      /* unlike the agent, also a resource that is not there (see the header) */
      keep(e, "R\t%s", name, NULL, NULL);
      free(name);
      return 1;
    }
    case METHOD_INVOKE:
    case CONSTRUCTOR_NEW_INSTANCE: {
      if (!a0) return 0;
      jobject declaring = (*jni)->CallObjectMethod(jni, a0, member_get_declaring_class);
      if (threw(jni)) declaring = NULL;
      char *name = NULL;
      if (t == METHOD_INVOKE) {
        jobject s = (*jni)->CallObjectMethod(jni, a0, member_get_name);
        name = threw(jni) ? NULL : string_value(jni, s);
      } else name = strdup("<init>");
      jobjectArray params = (jobjectArray)(*jni)->CallObjectMethod(jni, a0, executable_get_parameter_types);
      if (threw(jni)) params = NULL;
      e->cls = class_name(jni, declaring);
      e->declaring = e->cls ? strdup(e->cls) : NULL;
      e->result = declaring != NULL;
      sb_puts(&e->args, "[");
      if (t == METHOD_INVOKE) { sb_json(&e->args, name ? name : "null"); sb_puts(&e->args, ","); }
      class_list(jni, params, list, sizeof list, &e->args);
      sb_puts(&e->args, "]");
      if (e->cls && name) {
        keep(e, "C\t%s", e->cls, NULL, NULL);
        keep(e, "M\t%s\t%s\t%s", e->cls, name, list);
      }
      free(name);
      return 1;
    }
    default:
      break;
  }
  /* the rest are called on a Class */
  if (!a0) return 0;
  e->cls = class_name(jni, a0);
  if (!e->cls) return 0;
  switch (t) {
    case GET_METHODS:
    case GET_DECLARED_METHODS:
    case GET_CONSTRUCTORS:
    case GET_DECLARED_CONSTRUCTORS:
    case GET_FIELDS:
    case GET_DECLARED_FIELDS: {
      static const char *flag[TARGETS] = {[GET_METHODS] = "queryAllPublicMethods", [GET_DECLARED_METHODS] = "queryAllDeclaredMethods",
                                          [GET_CONSTRUCTORS] = "queryAllPublicConstructors", [GET_DECLARED_CONSTRUCTORS] = "queryAllDeclaredConstructors",
                                          [GET_FIELDS] = "allPublicFields", [GET_DECLARED_FIELDS] = "allDeclaredFields"};
      sb_puts(&e->args, "[]");
      keep(e, "C\t%s", e->cls, NULL, NULL);
      keep(e, "A\t%s\t%s", e->cls, flag[t], NULL);
      return 1;
    }
    case CLASS_NEW_INSTANCE: {
      jmethodID ctor = (*jni)->GetMethodID(jni, (jclass)a0, "<init>", "()V");
      e->result = !threw(jni) && ctor != NULL;
      sb_puts(&e->args, "[]");
      if (e->result) {
        keep(e, "C\t%s", e->cls, NULL, NULL);
        keep(e, "M\t%s\t<init>\t%s", e->cls, "", NULL);
      }
      return 1;
    }
    case GET_FIELD:
    case GET_DECLARED_FIELD: {
      (*jvmti)->GetLocalObject(jvmti, thread, 0, 1, &a1);
      char *field = string_value(jni, a1);
      if (!field) return 0;
      jobject found = (*jni)->CallObjectMethod(jni, a0, targets[t], a1);
      if (threw(jni)) found = NULL;
      e->result = found != NULL;
      if (found && t == GET_FIELD) {
        jobject d = (*jni)->CallObjectMethod(jni, found, member_get_declaring_class);
        e->declaring = threw(jni) ? NULL : class_name(jni, d);
      }
      sb_puts(&e->args, "[");
      sb_json(&e->args, field);
      sb_puts(&e->args, "]");
      if (e->result) {
        const char *holder = e->declaring ? e->declaring : e->cls;
        keep(e, "C\t%s", e->cls, NULL, NULL);
        if (strcmp(holder, e->cls) != 0) keep(e, "C\t%s", holder, NULL, NULL);
        keep(e, "F\t%s\t%s", holder, field, NULL);
      }
      free(field);
      return 1;
    }
    case GET_METHOD:
    case GET_DECLARED_METHOD:
    case GET_CONSTRUCTOR:
    case GET_DECLARED_CONSTRUCTOR: {
      int ctor = t == GET_CONSTRUCTOR || t == GET_DECLARED_CONSTRUCTOR;
      (*jvmti)->GetLocalObject(jvmti, thread, 0, 1, &a1);
      if (!ctor) (*jvmti)->GetLocalObject(jvmti, thread, 0, 2, &a2);
      jobjectArray params = (jobjectArray)(ctor ? a1 : a2);
      char *name = ctor ? strdup("<init>") : string_value(jni, a1);
      if (!name) return 0;
      jobject found = ctor ? (*jni)->CallObjectMethod(jni, a0, targets[t], params) : (*jni)->CallObjectMethod(jni, a0, targets[t], a1, params);
      if (threw(jni)) found = NULL;
      e->result = found != NULL;
      if (found && t == GET_METHOD) {
        jobject d = (*jni)->CallObjectMethod(jni, found, member_get_declaring_class);
        e->declaring = threw(jni) ? NULL : class_name(jni, d);
      }
      sb_puts(&e->args, "[");
      if (!ctor) { sb_json(&e->args, name); sb_puts(&e->args, ","); }
      class_list(jni, params, list, sizeof list, &e->args);
      sb_puts(&e->args, "]");
      if (e->result) {
        const char *holder = e->declaring ? e->declaring : e->cls;
        keep(e, "C\t%s", e->cls, NULL, NULL);
        if (strcmp(holder, e->cls) != 0) keep(e, "C\t%s", holder, NULL, NULL);
        keep(e, "M\t%s\t%s\t%s", holder, name, list);
      }
      free(name);
      return 1;
    }
    default:
      return 0;
  }
}

static void JNICALL on_breakpoint(jvmtiEnv *env, JNIEnv *jni, jthread thread, jmethodID method, jlocation location) {
  (void)env; (void)location;
  int t = -1;
  for (int i = 0; i < TARGETS; i++) if (targets[i] == method) t = i;
  if (t < 0 || dead || busy) return;
  busy = 1;
  (*jni)->PushLocalFrame(jni, 64);
  event e;
  memset(&e, 0, sizeof e);
  int tree = (origins || partial) && !trace_file;
  e.caller = frame_class(jni, thread, 1);
  int app = caller_is_app(thread);
  /* the expensive part only where it can matter: a trace, a tree, or a lookup that is kept */
  int interesting = (trace_file || tree || app) ? inspect(jni, thread, t, &e) : 0;
  (*jni)->PopLocalFrame(jni, NULL);
  busy = 0;

  if (trace_file && interesting) write_trace_event(&e);
  else if (tree) {
    /* every intercepted call gets its path, as the agent's tracer dispatches before it filters */
    jint depth = 0;
    (*jvmti)->GetFrameCount(jvmti, thread, &depth);
    jvmtiFrameInfo *frames = malloc(sizeof(jvmtiFrameInfo) * (depth > 0 ? depth : 1));
    jint got = 0;
    if (depth > 0) (*jvmti)->GetStackTrace(jvmti, thread, 0, depth, frames, &got);
    (*jvmti)->RawMonitorEnter(jvmti, lock);
    node *n = &root;
    for (jint i = got - 1; i >= 0; i--) n = child(n, minfo_of(jni, frames[i].method));
    if (interesting && app) for (int i = 0; i < e.nrecord; i++) node_add(n, e.record[i]);
    (*jvmti)->RawMonitorExit(jvmti, lock);
    free(frames);
  } else if (interesting && app) {
    (*jvmti)->RawMonitorEnter(jvmti, lock);
    for (int i = 0; i < e.nrecord; i++) strset_add(&entries, e.record[i]);
    (*jvmti)->RawMonitorExit(jvmti, lock);
  }
  for (int i = 0; i < e.nrecord; i++) free(e.record[i]);
  free(e.cls);
  free(e.declaring);
  free(e.caller);
  free(e.args.data);
}

static jmethodID find(JNIEnv *jni, const char *cls, const char *name, const char *sig, int is_static) {
  jclass k = (*jni)->FindClass(jni, cls);
  if (k == NULL) { (*jni)->ExceptionClear(jni); return NULL; }
  jmethodID m = is_static ? (*jni)->GetStaticMethodID(jni, k, name, sig) : (*jni)->GetMethodID(jni, k, name, sig);
  if ((*jni)->ExceptionCheck(jni)) (*jni)->ExceptionClear(jni);
  return m;
}

static void JNICALL writer(jvmtiEnv *env, JNIEnv *jni, void *arg) {
  (void)env; (void)jni; (void)arg;
  sleep((unsigned)initial_delay);
  while (!dead) {
    write_config();
    sleep((unsigned)period);
  }
}

static void JNICALL on_vm_start(jvmtiEnv *env, JNIEnv *jni) {
  (void)env; (void)jni;
  trace_meta("\"event\":\"phase_change\", \"phase\":\"start\"");
}

static void JNICALL on_vm_init(jvmtiEnv *env, JNIEnv *jni, jthread thread) {
  (void)env; (void)thread;
  const char *C = "java/lang/Class";
  targets[FOR_NAME] = find(jni, C, "forName", "(Ljava/lang/String;)Ljava/lang/Class;", 1);
  targets[FOR_NAME_LOADER] = find(jni, C, "forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", 1);
  targets[GET_FIELD] = find(jni, C, "getField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0);
  targets[GET_DECLARED_FIELD] = find(jni, C, "getDeclaredField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0);
  targets[GET_FIELDS] = find(jni, C, "getFields", "()[Ljava/lang/reflect/Field;", 0);
  targets[GET_DECLARED_FIELDS] = find(jni, C, "getDeclaredFields", "()[Ljava/lang/reflect/Field;", 0);
  targets[CLASS_NEW_INSTANCE] = find(jni, C, "newInstance", "()Ljava/lang/Object;", 0);
  targets[METHOD_INVOKE] = find(jni, "java/lang/reflect/Method", "invoke", "(Ljava/lang/Object;[Ljava/lang/Object;)Ljava/lang/Object;", 0);
  targets[CONSTRUCTOR_NEW_INSTANCE] = find(jni, "java/lang/reflect/Constructor", "newInstance", "([Ljava/lang/Object;)Ljava/lang/Object;", 0);
  targets[GET_RESOURCE] = find(jni, "java/lang/ClassLoader", "getResource", "(Ljava/lang/String;)Ljava/net/URL;", 0);
  targets[GET_RESOURCES] = find(jni, "java/lang/ClassLoader", "getResources", "(Ljava/lang/String;)Ljava/util/Enumeration;", 0);
  targets[GET_METHOD] = find(jni, C, "getMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0);
  targets[GET_DECLARED_METHOD] = find(jni, C, "getDeclaredMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0);
  targets[GET_CONSTRUCTOR] = find(jni, C, "getConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0);
  targets[GET_DECLARED_CONSTRUCTOR] = find(jni, C, "getDeclaredConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0);
  targets[GET_METHODS] = find(jni, C, "getMethods", "()[Ljava/lang/reflect/Method;", 0);
  targets[GET_DECLARED_METHODS] = find(jni, C, "getDeclaredMethods", "()[Ljava/lang/reflect/Method;", 0);
  targets[GET_CONSTRUCTORS] = find(jni, C, "getConstructors", "()[Ljava/lang/reflect/Constructor;", 0);
  targets[GET_DECLARED_CONSTRUCTORS] = find(jni, C, "getDeclaredConstructors", "()[Ljava/lang/reflect/Constructor;", 0);
  class_get_name = find(jni, C, "getName", "()Ljava/lang/String;", 0);
  class_for_name3 = targets[FOR_NAME_LOADER];
  member_get_declaring_class = find(jni, "java/lang/reflect/Member", "getDeclaringClass", "()Ljava/lang/Class;", 0);
  member_get_name = find(jni, "java/lang/reflect/Member", "getName", "()Ljava/lang/String;", 0);
  executable_get_parameter_types = find(jni, "java/lang/reflect/Executable", "getParameterTypes", "()[Ljava/lang/Class;", 0);
  enumeration_has_more = find(jni, "java/util/Enumeration", "hasMoreElements", "()Z", 0);
  class_not_found = (jclass)(*jni)->NewGlobalRef(jni, (*jni)->FindClass(jni, "java/lang/ClassNotFoundException"));
  for (int i = 0; i < TARGETS; i++) {
    if (!targets[i] || (i >= GET_METHOD && !track_reflection_metadata)) continue;
    (*jvmti)->SetBreakpoint(jvmti, targets[i], 0);
  }
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_BREAKPOINT, NULL);
  trace_meta("\"event\":\"phase_change\", \"phase\":\"live\"");
  /* the tree modes' writers do not support periodic writes (supportsPeriodicTraceWriting) */
  if (period > 0 && out_dir[0] && !origins && !partial) {
    jclass tc = (*jni)->FindClass(jni, "java/lang/Thread");
    jmethodID init = (*jni)->GetMethodID(jni, tc, "<init>", "(Ljava/lang/String;)V");
    jobject t = (*jni)->NewObject(jni, tc, init, (*jni)->NewStringUTF(jni, "AgentConfigurationsPeriodicWriter"));
    (*jvmti)->RunAgentThread(jvmti, t, writer, NULL, JVMTI_THREAD_MIN_PRIORITY);
  }
}

static void JNICALL on_vm_death(jvmtiEnv *env, JNIEnv *jni) {
  (void)env; (void)jni;
  if (trace_file) {
    trace_meta("\"event\":\"phase_change\", \"phase\":\"dead\"");
    (*jvmti)->RawMonitorEnter(jvmti, lock);
    dead = 1;
    fputs("\n]\n", trace_file);
    fclose(trace_file);
    trace_file = NULL;
    (*jvmti)->RawMonitorExit(jvmti, lock);
    return;
  }
  write_config();
  dead = 1;
  char lockpath[4200];
  snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
  unlink(lockpath);
}

/* ------------------------------------------------------------------------------------------ */
/* options (NativeImageAgent.onLoadCallback) */

static int starts(const char *token, const char *prefix) { return strncmp(token, prefix, strlen(prefix)) == 0; }

static int is_boolean_option(const char *token, const char *option) {
  size_t n = strlen(option);
  return strcmp(token, option) == 0 || (strncmp(token, option, n) == 0 && token[n] == '=');
}

static int boolean_value(const char *token) {
  const char *eq = strchr(token, '=');
  return eq == NULL || strcasecmp(eq + 1, "true") == 0; /* Boolean.parseBoolean */
}

static int integer_or_negative(const char *s) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (*s == 0 || *end != 0 || errno || v > 2147483647L || v < -2147483647L) return -1;
  return (int)v;
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
  (void)reserved;
  char opts[8192] = "", msg[8400];
  if (options) snprintf(opts, sizeof opts, "%s", options);
  char dir[4096] = "", trace[4096] = "";
  int merge = 0, conditional_filter = 0;
  for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
    if (starts(o, "trace-output=")) {
      if (trace[0]) return usage("cannot specify trace-output= more than once.");
      snprintf(trace, sizeof trace, "%s", strchr(o, '=') + 1);
    } else if (starts(o, "config-output-dir=") || starts(o, "config-merge-dir=")) {
      if (dir[0]) return usage("cannot specify more than one of config-output-dir= or config-merge-dir=.");
      expand(strchr(o, '=') + 1, dir, sizeof dir);
      if (starts(o, "config-merge-dir=")) merge = 1;
    } else if (starts(o, "config-to-omit=") || is_boolean_option(o, "experimental-omit-config-from-classpath")) {
    } else if (starts(o, "restrict-all-dir") || strcmp(o, "restrict") == 0 || starts(o, "restrict=")) {
      snprintf(msg, sizeof msg, "Warning: restrict mode is no longer supported, ignoring option: %s", o);
      inform(msg);
    } else if (strcmp(o, "no-builtin-caller-filter") == 0 || is_boolean_option(o, "builtin-caller-filter") || strcmp(o, "no-builtin-heuristic-filter") == 0 ||
               is_boolean_option(o, "builtin-heuristic-filter") || is_boolean_option(o, "no-filter") || starts(o, "caller-filter-file=") ||
               starts(o, "access-filter-file=") || is_boolean_option(o, "experimental-class-loader-support") ||
               is_boolean_option(o, "experimental-class-define-support") || is_boolean_option(o, "experimental-unsafe-allocation-support") ||
               starts(o, "conditional-config-class-filter-file=")) {
    } else if (starts(o, "config-write-period-secs=")) {
      period = integer_or_negative(strchr(o, '=') + 1);
      if (period <= 0) return usage("config-write-period-secs must be an integer greater than 0");
    } else if (starts(o, "config-write-initial-delay-secs=")) {
      initial_delay = integer_or_negative(strchr(o, '=') + 1);
      if (initial_delay < 0) return usage("config-write-initial-delay-secs must be an integer greater or equal to 0");
    } else if (is_boolean_option(o, "experimental-configuration-with-origins")) {
      origins = boolean_value(o);
    } else if (starts(o, "experimental-conditional-config-filter-file=")) {
      conditional_filter = 1;
    } else if (is_boolean_option(o, "experimental-conditional-config-part")) {
      partial = boolean_value(o);
    } else if (is_boolean_option(o, "track-reflection-metadata")) {
      track_reflection_metadata = boolean_value(o);
    } else {
      snprintf(msg, sizeof msg, "unknown option: '%s'.", o);
      return usage(msg);
    }
  }
  if (!trace[0] && !dir[0]) {
    expand("native-image-agent_config-pid{pid}-{datetime}/", dir, sizeof dir);
    snprintf(msg, sizeof msg, "no output options provided, tracking dynamic accesses and writing configuration to directory: %s", dir);
    inform(msg);
  }
  if (origins && conditional_filter)
    return error(USAGE_ERROR, "The agent can only be used in either the configuration with origins mode or the predefined classes mode.");
  if (origins && merge) {
    origins = 0;
    inform("using configuration with origins with configuration merging is currently unsupported. Disabling configuration with origins mode.");
  }
  if (origins)
    inform("Warning: using experimental configuration with origins mode. Note that native-image cannot process these files, and this flag may change or be removed without a warning!");
  if (conditional_filter && partial)
    return error(USAGE_ERROR, "The agent can generate conditional configuration either for the current run or in the partial mode but not both at the same time.");
  if (conditional_filter) return error(USAGE_ERROR, "experimental-conditional-config-filter-file= is not supported by this stand-in");

  if (dir[0]) {
    if (trace[0]) return usage("can only once specify exactly one of trace-output=, config-output-dir= or config-merge-dir=.");
    snprintf(out_dir, sizeof out_dir, "%s", dir);
    size_t n = strlen(out_dir);
    while (n > 1 && out_dir[n - 1] == '/') out_dir[--n] = 0;
    if (mkdirs(out_dir) != 0) {
      snprintf(msg, sizeof msg, "java.nio.file.FileSystemException: %s: %s", out_dir, strerror(errno));
      return error(AGENT_ERROR, msg);
    }
    char lockpath[4200];
    snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
    int fd = open(lockpath, O_CREAT | O_EXCL | O_WRONLY, 0644);
    if (fd < 0) {
      char pid[32] = "(unknown)";
      FILE *f = fopen(lockpath, "r");
      if (f) {
        if (!fgets(pid, sizeof pid, f)) snprintf(pid, sizeof pid, "(unknown)");
        fclose(f);
        pid[strcspn(pid, " \t\r\n")] = 0;
      }
      snprintf(msg, sizeof msg, "Output directory '%s' is locked by process %s, which means another agent instance is already writing to this directory. Only one agent instance can safely write to a specific target directory at the same time. Unless file '.lock' is a leftover from an earlier process that terminated abruptly, it is unsafe to delete it. For running multiple processes with agents at the same time to create a single configuration, read AutomaticMetadataCollection.md or https://www.graalvm.org/dev/reference-manual/native-image/metadata/AutomaticMetadataCollection/ on how to use the native-image-configure tool.", out_dir, pid);
      return error(AGENT_ERROR, msg);
    }
    dprintf(fd, "%d", (int)getpid());
    close(fd);
  } else {
    expand(trace, trace_path, sizeof trace_path);
    trace_file = fopen(trace_path, "w");
    if (!trace_file) {
      snprintf(msg, sizeof msg, "java.nio.file.NoSuchFileException: %s", trace_path);
      return error(AGENT_ERROR, msg);
    }
    fputs("[\n{\"tracer\":\"meta\", \"event\":\"initialization\", \"version\":\"1\"}", trace_file);
    trace_written = 1;
  }

  if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) return AGENT_ERROR;
  jvmtiCapabilities caps;
  memset(&caps, 0, sizeof caps);
  caps.can_generate_breakpoint_events = 1;
  caps.can_access_local_variables = 1;
  if ((*jvmti)->AddCapabilities(jvmti, &caps) != JVMTI_ERROR_NONE) return AGENT_ERROR;
  jvmtiEventCallbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.VMStart = on_vm_start;
  cb.VMInit = on_vm_init;
  cb.VMDeath = on_vm_death;
  cb.Breakpoint = on_breakpoint;
  (*jvmti)->SetEventCallbacks(jvmti, &cb, sizeof cb);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_START, NULL);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_DEATH, NULL);
  (*jvmti)->CreateRawMonitor(jvmti, "ni-agent", &lock);
  return JNI_OK;
}
