# Sourced by the bench scripts: sets $access to what Hazelcast asks of the JDK, read from the one
# list in the parent pom (hazelcast.exports, hazelcast.opens), plus unsafe memory access (JDK 24+).
# Expects $root, the repository root.
pom_list() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$root/pom.xml"; }
access=(--sun-misc-unsafe-memory-access=allow)
for entry in $(pom_list hazelcast.exports); do access+=(--add-exports "$entry=ALL-UNNAMED"); done
for entry in $(pom_list hazelcast.opens); do access+=(--add-opens "$entry=ALL-UNNAMED"); done
