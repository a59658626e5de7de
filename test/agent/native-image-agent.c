/*
 * A stand-in for GraalVM's native-image-agent, for tests on machines without GraalVM.
 * It honours the same contract as far as ni-config relies on it:
 *   - loaded as -agentlib:native-image-agent=... or -agentpath:.../libnative-image-agent.so=...
 *   - options config-output-dir / config-merge-dir (with {pid} and {datetime}),
 *     config-write-period-secs, config-write-initial-delay-secs
 *   - a .lock file holding the pid, created exclusively (a locked directory stops the JVM);
 *     each write goes to agent-pid<pid>-<datetime>.tmp/ inside the output directory and its
 *     files are renamed into place; periodic writes on an agent thread, a final write at
 *     VM death, then the lock is removed
 *   - records real reflective lookups (Class.forName, both overloads, getMethod, getDeclaredMethod,
 *     getConstructor, getDeclaredConstructor, getField, getDeclaredField) and resource lookups
 *     (ClassLoader.getResource, getResources) with JVMTI breakpoints at their first bytecode,
 *     reading the arguments with GetLocalObject; lookups made by JDK code are not recorded
 *   - writes the legacy files (reflect, jni, proxy, resource, serialization,
 *     predefined-classes) in the agent's format.
 * With config-merge-dir, entries already in the directory's reflect-config.json and
 * resource-config.json are not merged (the real agent merges them); ni-config never uses it.
 */
#define _GNU_SOURCE
#include <jvmti.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_ENTRIES 8192

static jvmtiEnv *jvmti;
static jrawMonitorID lock;
static char out_dir[4096];
static int period = -1, initial_delay = 1, dead = 0;
static char *entries[MAX_ENTRIES]; /* "C\tclass" | "M\tclass\tname\tparams" | "F\tclass\tfield" | "R\tresource" */
static int entry_count = 0;

enum target { FOR_NAME, FOR_NAME_LOADER, GET_METHOD, GET_DECLARED_METHOD, GET_CONSTRUCTOR, GET_DECLARED_CONSTRUCTOR, GET_FIELD, GET_DECLARED_FIELD, GET_RESOURCE, GET_RESOURCES, TARGETS };
static jmethodID targets[TARGETS];

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

static void record(const char *entry) {
  (*jvmti)->RawMonitorEnter(jvmti, lock);
  for (int i = 0; i < entry_count; i++) {
    if (strcmp(entries[i], entry) == 0) { (*jvmti)->RawMonitorExit(jvmti, lock); return; }
  }
  if (entry_count < MAX_ENTRIES) entries[entry_count++] = strdup(entry);
  (*jvmti)->RawMonitorExit(jvmti, lock);
}

static int compare(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* Writes every file into a temp dir inside the output dir, then renames them into place. */
static void write_config(void) {
  (*jvmti)->RawMonitorEnter(jvmti, lock);
  char **sorted = malloc(sizeof(char *) * (entry_count + 1));
  int n = entry_count;
  memcpy(sorted, entries, sizeof(char *) * n);
  (*jvmti)->RawMonitorExit(jvmti, lock);
  qsort(sorted, n, sizeof(char *), compare);

  char tmp[4200], stamp[32], path[4400], target[4400], lockpath[4200];
  time_t now = time(NULL);
  struct tm tm;
  gmtime_r(&now, &tm);
  strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
  snprintf(tmp, sizeof tmp, "%s/agent-pid%d-%s.tmp", out_dir, (int)getpid(), stamp);
  if (mkdir(tmp, 0755) != 0 && errno != EEXIST) { free(sorted); return; }

  snprintf(path, sizeof path, "%s/reflect-config.json", tmp);
  FILE *f = fopen(path, "w");
  fputs("[\n", f);
  /* the classes named by any entry, in order */
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
  for (int c = 0; c < class_count; c++) {
    const char *cls = classes[c];
    size_t len = strlen(cls);
    fputs(c ? ",\n{\n  \"name\":" : "{\n  \"name\":", f);
    json_string(f, cls);
    int fields = 0, methods = 0;
    for (int j = 0; j < n; j++) {
      if (sorted[j][0] != 'F' || strncmp(sorted[j] + 2, cls, len) != 0 || sorted[j][2 + len] != '\t') continue;
      fputs(fields++ ? ", {\"name\":" : ",\n  \"fields\":[{\"name\":", f);
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
      fputs(methods++ ? ", {\"name\":" : ",\n  \"methods\":[{\"name\":", f);
      json_string(f, name);
      fputs(",\"parameterTypes\":[", f);
      int k = 0;
      char *save = NULL;
      for (char *p = strtok_r(params, ",", &save); p; p = strtok_r(NULL, ",", &save)) { if (k++) fputc(',', f); json_string(f, p); }
      fputs("] }", f);
    }
    if (methods) fputs("]", f);
    fputs("\n}", f);
  }
  for (int c = 0; c < class_count; c++) free(classes[c]);
  free(classes);
  fputs("\n]\n", f);
  fclose(f);

  snprintf(path, sizeof path, "%s/resource-config.json", tmp);
  f = fopen(path, "w");
  fputs("{\n  \"resources\":{\n  \"includes\":[", f);
  int first = 1;
  for (int i = 0; i < n; i++) {
    if (sorted[i][0] != 'R') continue;
    fputs(first ? "\n    {\n      \"pattern\":\"\\\\Q" : ", \n    {\n      \"pattern\":\"\\\\Q", f);
    first = 0;
    for (const char *s = sorted[i] + 2; *s; s++) { if (*s == '"' || *s == '\\') fputc('\\', f); fputc(*s, f); }
    fputs("\\\\E\"\n    }", f);
  }
  fputs("\n  ]},\n  \"bundles\":[]\n}\n", f);
  fclose(f);

  const char *empty[][2] = {{"jni-config.json", "[\n]\n"}, {"proxy-config.json", "[\n]\n"},
                            {"serialization-config.json", "{\n  \"types\":[\n  ],\n  \"lambdaCapturingTypes\":[\n  ],\n  \"proxies\":[\n  ]\n}\n"},
                            {"predefined-classes-config.json", "[\n  {\n    \"type\":\"agent-extracted\",\n    \"classes\":[\n    ]\n  }\n]\n"}};
  for (int i = 0; i < 4; i++) {
    snprintf(path, sizeof path, "%s/%s", tmp, empty[i][0]);
    f = fopen(path, "w");
    fputs(empty[i][1], f);
    fclose(f);
  }
  /* the real agent checks that its lock is still there before it replaces anything */
  snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
  const char *names[] = {"reflect-config.json", "resource-config.json", "jni-config.json", "proxy-config.json", "serialization-config.json", "predefined-classes-config.json"};
  if (access(lockpath, F_OK) == 0) {
    for (int i = 0; i < 6; i++) {
      snprintf(path, sizeof path, "%s/%s", tmp, names[i]);
      snprintf(target, sizeof target, "%s/%s", out_dir, names[i]);
      rename(path, target);
    }
  }
  for (int i = 0; i < 6; i++) { snprintf(path, sizeof path, "%s/%s", tmp, names[i]); unlink(path); }
  rmdir(tmp);
  free(sorted);
}

static char *class_name(JNIEnv *jni, jobject cls) {
  if (cls == NULL) return NULL;
  jclass klass = (*jni)->GetObjectClass(jni, cls);
  jmethodID getName = (*jni)->GetMethodID(jni, klass, "getName", "()Ljava/lang/String;");
  jstring s = (jstring)(*jni)->CallObjectMethod(jni, cls, getName);
  if ((*jni)->ExceptionCheck(jni) || s == NULL) { (*jni)->ExceptionClear(jni); return NULL; }
  const char *utf = (*jni)->GetStringUTFChars(jni, s, NULL);
  char *copy = strdup(utf);
  (*jni)->ReleaseStringUTFChars(jni, s, utf);
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

/* The first caller outside the reflection and class-loading machinery; NULL when it is JDK code. */
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

static void JNICALL on_breakpoint(jvmtiEnv *env, JNIEnv *jni, jthread thread, jmethodID method, jlocation location) {
  (void)env; (void)location;
  int t = -1;
  for (int i = 0; i < TARGETS; i++) if (targets[i] == method) t = i;
  if (t < 0 || dead || !caller_is_app(thread)) return;
  jobject a0 = NULL, a1 = NULL, a2 = NULL;
  char buf[4096];
  if (t == FOR_NAME || t == FOR_NAME_LOADER) {
    (*jvmti)->GetLocalObject(jvmti, thread, 0, 0, &a0);
    char *name = string_value(jni, a0);
    if (name) { snprintf(buf, sizeof buf, "C\t%s", name); record(buf); free(name); }
    return;
  }
  (*jvmti)->GetLocalObject(jvmti, thread, 0, 0, &a0);
  (*jvmti)->GetLocalObject(jvmti, thread, 0, 1, &a1);
  if (t == GET_RESOURCE || t == GET_RESOURCES) {
    char *name = string_value(jni, a1);
    if (name) { snprintf(buf, sizeof buf, "R\t%s", name); record(buf); free(name); }
    return;
  }
  char *cls = class_name(jni, a0);
  if (!cls) return;
  snprintf(buf, sizeof buf, "C\t%s", cls);
  record(buf);
  if (t == GET_FIELD || t == GET_DECLARED_FIELD) {
    char *field = string_value(jni, a1);
    if (field) { snprintf(buf, sizeof buf, "F\t%s\t%s", cls, field); record(buf); free(field); }
  } else {
    int ctor = t == GET_CONSTRUCTOR || t == GET_DECLARED_CONSTRUCTOR;
    jobjectArray params = (jobjectArray)(ctor ? a1 : NULL);
    char *name = ctor ? strdup("<init>") : string_value(jni, a1);
    if (!ctor) { (*jvmti)->GetLocalObject(jvmti, thread, 0, 2, &a2); params = (jobjectArray)a2; }
    char list[2048] = "";
    jsize count = params ? (*jni)->GetArrayLength(jni, params) : 0;
    for (jsize i = 0; i < count; i++) {
      char *p = class_name(jni, (*jni)->GetObjectArrayElement(jni, params, i));
      if (p) { if (i) strncat(list, ",", sizeof list - strlen(list) - 1); strncat(list, p, sizeof list - strlen(list) - 1); free(p); }
    }
    if (name) { snprintf(buf, sizeof buf, "M\t%s\t%s\t%s", cls, name, list); record(buf); free(name); }
  }
  free(cls);
}

static jmethodID find(JNIEnv *jni, const char *cls, const char *name, const char *sig, int is_static) {
  jclass k = (*jni)->FindClass(jni, cls);
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

static void JNICALL on_vm_init(jvmtiEnv *env, JNIEnv *jni, jthread thread) {
  (void)env; (void)thread;
  targets[FOR_NAME] = find(jni, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", 1);
  targets[FOR_NAME_LOADER] = find(jni, "java/lang/Class", "forName", "(Ljava/lang/String;ZLjava/lang/ClassLoader;)Ljava/lang/Class;", 1);
  targets[GET_METHOD] = find(jni, "java/lang/Class", "getMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0);
  targets[GET_DECLARED_METHOD] = find(jni, "java/lang/Class", "getDeclaredMethod", "(Ljava/lang/String;[Ljava/lang/Class;)Ljava/lang/reflect/Method;", 0);
  targets[GET_CONSTRUCTOR] = find(jni, "java/lang/Class", "getConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0);
  targets[GET_DECLARED_CONSTRUCTOR] = find(jni, "java/lang/Class", "getDeclaredConstructor", "([Ljava/lang/Class;)Ljava/lang/reflect/Constructor;", 0);
  targets[GET_FIELD] = find(jni, "java/lang/Class", "getField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0);
  targets[GET_DECLARED_FIELD] = find(jni, "java/lang/Class", "getDeclaredField", "(Ljava/lang/String;)Ljava/lang/reflect/Field;", 0);
  targets[GET_RESOURCE] = find(jni, "java/lang/ClassLoader", "getResource", "(Ljava/lang/String;)Ljava/net/URL;", 0);
  targets[GET_RESOURCES] = find(jni, "java/lang/ClassLoader", "getResources", "(Ljava/lang/String;)Ljava/util/Enumeration;", 0);
  for (int i = 0; i < TARGETS; i++) if (targets[i]) (*jvmti)->SetBreakpoint(jvmti, targets[i], 0);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_BREAKPOINT, NULL);
  if (period > 0) {
    jclass tc = (*jni)->FindClass(jni, "java/lang/Thread");
    jmethodID init = (*jni)->GetMethodID(jni, tc, "<init>", "(Ljava/lang/String;)V");
    jobject t = (*jni)->NewObject(jni, tc, init, (*jni)->NewStringUTF(jni, "AgentConfigurationsPeriodicWriter"));
    (*jvmti)->RunAgentThread(jvmti, t, writer, NULL, JVMTI_THREAD_MIN_PRIORITY);
  }
}

static void JNICALL on_vm_death(jvmtiEnv *env, JNIEnv *jni) {
  (void)env; (void)jni;
  write_config();
  dead = 1;
  char lockpath[4200];
  snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
  unlink(lockpath);
}

JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
  (void)reserved;
  char opts[8192] = "";
  if (options) snprintf(opts, sizeof opts, "%s", options);
  char dir[4096] = "";
  for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
    if (strncmp(o, "config-output-dir=", 18) == 0) snprintf(dir, sizeof dir, "%s", o + 18);
    else if (strncmp(o, "config-merge-dir=", 17) == 0) snprintf(dir, sizeof dir, "%s", o + 17);
    else if (strncmp(o, "config-write-period-secs=", 25) == 0) {
      period = atoi(o + 25);
      if (period <= 0) { fprintf(stderr, "Usage error: config-write-period-secs must be greater than 0\n"); return JNI_ERR; }
    } else if (strncmp(o, "config-write-initial-delay-secs=", 32) == 0) initial_delay = atoi(o + 32);
  }
  if (dir[0] == 0) snprintf(dir, sizeof dir, "native-image-agent_config-pid{pid}-{datetime}");
  expand(dir, out_dir, sizeof out_dir);
  if (mkdirs(out_dir) != 0) { fprintf(stderr, "Error: cannot create output directory %s\n", out_dir); return JNI_ERR; }
  char lockpath[4200];
  snprintf(lockpath, sizeof lockpath, "%s/.lock", out_dir);
  int fd = open(lockpath, O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) {
    char pid[32] = "?";
    FILE *f = fopen(lockpath, "r");
    if (f) { if (!fgets(pid, sizeof pid, f)) pid[0] = '?'; fclose(f); }
    fprintf(stderr, "Error: Output directory '%s' is locked by process %s, which means another agent instance is already writing to this directory. Only one agent instance can safely write to a specific target directory at the same time. Unless file '%s' is a leftover from an earlier process that terminated abruptly, it is unsafe to delete it. For running multiple processes with agents at the same time to create a single configuration, read AutomaticMetadataCollection.md or https://www.graalvm.org/dev/reference-manual/native-image/metadata/AutomaticMetadataCollection/ on how to use the native-image-configure tool.\n", out_dir, pid, lockpath);
    return JNI_ERR;
  }
  dprintf(fd, "%d", (int)getpid());
  close(fd);

  if ((*vm)->GetEnv(vm, (void **)&jvmti, JVMTI_VERSION_1_2) != JNI_OK) return JNI_ERR;
  jvmtiCapabilities caps;
  memset(&caps, 0, sizeof caps);
  caps.can_generate_breakpoint_events = 1;
  caps.can_access_local_variables = 1;
  if ((*jvmti)->AddCapabilities(jvmti, &caps) != JVMTI_ERROR_NONE) return JNI_ERR;
  jvmtiEventCallbacks cb;
  memset(&cb, 0, sizeof cb);
  cb.VMInit = on_vm_init;
  cb.VMDeath = on_vm_death;
  cb.Breakpoint = on_breakpoint;
  (*jvmti)->SetEventCallbacks(jvmti, &cb, sizeof cb);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_INIT, NULL);
  (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_DEATH, NULL);
  (*jvmti)->CreateRawMonitor(jvmti, "ni-agent", &lock);
  return JNI_OK;
}
