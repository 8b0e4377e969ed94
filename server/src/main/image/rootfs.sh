#!/bin/sh
# Builds the root file system under the container image's application layers, without Docker:
# a jlinked Java runtime from the build's JDK, the C libraries it and SQLite's native library link
# against (copied from the build machine, found with ldd), a non-root user and the data directory.
# Usage: rootfs.sh <output dir>. Needs a Linux x86-64 or aarch64 build machine with glibc and a JDK 17.
set -eu
out=$1
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
modules=java.base,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,\
java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.charsets,jdk.crypto.cryptoki,jdk.crypto.ec,\
jdk.localedata,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

rm -rf "$out"
mkdir -p "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --compress=2 \
  --output "$out/opt/java"
# the JDK's CA certificates (Debian's JDK links them from /etc/ssl/certs/java)
if [ -e "$java_home/lib/security/cacerts" ]; then
  rm -f "$out/opt/java/lib/security/cacerts"
  cp -L "$java_home/lib/security/cacerts" "$out/opt/java/lib/security/cacerts"
fi

# every shared library the runtime links against, and the ones glibc programs load by name
libdir=$(dirname "$(ldd "$out/opt/java/bin/java" | awk '/libc\.so/ {print $3}')")
{
  find "$out/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}'
  for name in libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libgcc_s.so.1 libstdc++.so.6 libz.so.1; do
    [ -e "$libdir/$name" ] && echo "$libdir/$name"
  done
} | sort -u | while read -r lib; do
  mkdir -p "$out$(dirname "$lib")"
  cp -L "$lib" "$out$lib"
done
# /lib64 and /lib may be symbolic links on the build machine: the loader must be at its usual path
for loader in /lib64/ld-linux-x86-64.so.2 /lib/ld-linux-aarch64.so.1; do
  if [ -e "$loader" ] && [ ! -e "$out$loader" ]; then
    mkdir -p "$out$(dirname "$loader")"
    cp -L "$loader" "$out$loader"
  fi
done

mkdir -p "$out/etc" "$out/data" "$out/tmp"
printf 'root:x:0:0:root:/root:/sbin/nologin\nsextant:x:10001:10001:sextant:/data:/sbin/nologin\n' > "$out/etc/passwd"
printf 'root:x:0:\nsextant:x:10001:\n' > "$out/etc/group"
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
