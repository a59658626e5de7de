/**
 * The agent's built-in caller filter (oracle/graal substratevm/src/com.oracle.svm.configure/src/
 * com/oracle/svm/configure/trace/AccessAdvisor.java, static initializer): a lookup whose direct
 * caller it excludes gives no config. Transcribed as data; the last matching rule decides, which
 * for this list (general rules before their exceptions) is what the agent's filter tree does.
 */

const RULES: readonly (readonly [include: boolean, glob: string])[] = [
  [true, '**'],
  [false, 'com.sun.crypto.provider.**'],
  [false, 'com.sun.java.util.jar.pack.**'],
  [false, 'com.sun.net.ssl.**'],
  [false, 'com.sun.nio.file.**'],
  [false, 'com.sun.nio.sctp.**'],
  [false, 'com.sun.nio.zipfs.**'],
  [false, 'java.io.**'],
  [true, 'java.io.ObjectInputFilter$Config'],
  [false, 'java.lang.**'],
  [true, 'java.lang.ClassLoader'],
  [true, 'java.lang.ClassLoader$NativeLibrary'],
  [true, 'java.lang.Module'],
  [false, 'java.math.**'],
  [false, 'java.net.**'],
  [true, 'java.net.URLConnection'],
  [false, 'java.nio.**'],
  [false, 'java.text.**'],
  [false, 'java.time.**'],
  [false, 'java.util.**'],
  [true, 'java.util.concurrent.atomic.*'],
  [false, 'java.util.concurrent.atomic.AtomicReference'],
  [true, 'java.util.Collections'],
  [true, 'java.util.logging.LogRecord'],
  [true, 'java.util.random.*'],
  [true, 'java.util.ServiceLoader$LazyClassPathLookupIterator'],
  [false, 'javax.crypto.**'],
  [false, 'javax.lang.model.**'],
  [false, 'javax.net.**'],
  [false, 'javax.tools.**'],
  [false, 'jdk.internal.**'],
  [true, 'jdk.internal.loader.BootLoader'],
  [true, 'jdk.internal.loader.NativeLibraries$NativeLibraryImpl'],
  [false, 'jdk.jfr.**'],
  [false, 'jdk.net.**'],
  [false, 'jdk.nio.**'],
  [false, 'jdk.vm.**'],
  [false, 'sun.invoke.**'],
  [true, 'sun.invoke.util.BytecodeDescriptor'],
  [false, 'sun.launcher.**'],
  [false, 'sun.management.ManagementFactoryHelper$LoggingMXBeanAccess'],
  [false, 'sun.misc.**'],
  [false, 'sun.net.**'],
  [true, 'sun.net.www.protocol.http.*'],
  [false, 'sun.nio.**'],
  [false, 'sun.reflect.**'],
  [true, 'sun.reflect.misc.*'],
  [false, 'sun.text.**'],
  [false, 'sun.util.**'],
  [true, 'sun.util.resources.Bundles'],
  [false, 'com.oracle.graal.**'],
  [false, 'com.oracle.truffle.**'],
  [false, 'jdk.graal.compiler.**'],
  [false, 'org.graalvm.compiler.**'],
];

/** GraalVM's filter globs: `pkg.**` pkg and its subpackages, `pkg.*` the classes directly in pkg (`$` is no separator), else the exact name. */
function matches(glob: string, name: string): boolean {
  if (glob === '**') return true;
  if (glob.endsWith('.**')) return name.startsWith(glob.slice(0, -2));
  if (glob.endsWith('.*')) {
    const pkg = glob.slice(0, -1);
    return name.startsWith(pkg) && !name.includes('.', pkg.length);
  }
  return glob === name;
}

/** Whether the agent's built-in caller filter lets a lookup by this caller through. */
export function builtinCallerIncluded(caller: string): boolean {
  let included = false;
  for (const [include, glob] of RULES) if (matches(glob, caller)) included = include;
  return included;
}
