#!/usr/bin/env bash
# Builds every package into artifacts/ (emptied first):
#   Strata.Core        the library (XML docs, package README)
#   Strata.Hosting     the hosted service and readiness check
#   strata             the dotnet tool's pointer package, which names the two below
#   strata.linux-x64   the native AOT binary (instant start, no JIT)
#   strata.any         the framework-dependent fallback for every other platform with .NET 10
#
#   bash pack.sh           build the packages, list them
#   bash pack.sh --check   ... then install the tool from artifacts/ into a temporary tool path,
#                          as a user would, and run 'strata --version' from there (native and
#                          fallback); CI can run this step (about as long as the native build)
#
# Exits non-zero when any step fails. The machine this repository runs on has 2 cores shared
# with other builds, so every build is -m:1.
set -euo pipefail
cd "$(dirname "$0")"

check=false
case "${1:-}" in
  "") ;;
  --check) check=true ;;
  *) echo "usage: bash pack.sh [--check]" >&2; exit 2 ;;
esac

artifacts="$PWD/artifacts"
rm -rf "$artifacts"
mkdir -p "$artifacts"

common=(-c Release -m:1 -nologo -o "$artifacts" -p:ContinuousIntegrationBuild=true)
if commit=$(git rev-parse HEAD 2>/dev/null); then common+=("-p:RepositoryCommit=$commit"); fi
if remote=$(git remote get-url origin 2>/dev/null); then common+=("-p:RepositoryUrl=$remote"); fi

step() { echo; echo "== $*"; }

step "Strata.Core"
dotnet pack src/Strata "${common[@]}"
step "Strata.Hosting"
dotnet pack src/Strata.Hosting "${common[@]}"

# A tool package is made from the publish folder as it stands: a file left by an earlier publish
# (a strata.dbg, an old dll) would ship. Start each RID from an empty one.
rm -rf src/Strata.Cli/bin/Release/net10.0/publish src/Strata.Cli/bin/Release/net10.0/*/publish
step "strata (pointer package)"
dotnet pack src/Strata.Cli "${common[@]}"
step "strata.linux-x64 (native AOT)"
dotnet pack src/Strata.Cli -r linux-x64 "${common[@]}"
step "strata.any (framework-dependent fallback)"
dotnet pack src/Strata.Cli -r any "${common[@]}"

step "artifacts/"
expected=(Strata.Core Strata.Hosting strata strata.linux-x64 strata.any)
version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)
for id in "${expected[@]}"; do
  package="$artifacts/$id.$version.nupkg"
  [ -f "$package" ] || { echo "missing: $package" >&2; exit 1; }
  printf '  %-36s %8s KB\n' "$(basename "$package")" "$(( $(stat -c %s "$package") / 1024 ))"
done

$check || exit 0

# The install check (issue 18, acceptance 2): what 'dotnet tool install' does for a user, from
# artifacts/ only. A private NuGet cache, so a package of the same version from an earlier run
# cannot stand in for the one just built.
step "install check"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export NUGET_PACKAGES="$scratch/nuget"

dotnet tool install --tool-path "$scratch/tools" --add-source "$artifacts" strata --version "$version"
native=$(find "$scratch/tools/.store" -path '*linux-x64*' -name strata -type f | head -n 1)
[ -n "$native" ] && head -c 4 "$native" | grep -q ELF || { echo "the installed strata is not the native linux-x64 binary" >&2; exit 1; }
reported=$("$scratch/tools/strata" --version)
echo "  $scratch/tools/strata --version: $reported (native: ${native#"$scratch/tools/"})"
[[ "$reported" == "$version"* ]] || { echo "expected version $version, got '$reported'" >&2; exit 1; }

# The fallback on its own, as a platform without a native package installs it.
dotnet tool install --tool-path "$scratch/fallback" --add-source "$artifacts" strata.any --version "$version"
reported=$("$scratch/fallback/strata" --version)
echo "  fallback strata --version: $reported"
[[ "$reported" == "$version"* ]] || { echo "expected version $version from the fallback, got '$reported'" >&2; exit 1; }
echo "install check passed"
