# Sourced by the bench scripts: installs the tools they run from Debian's packages.
#
#   install_debian_packages WHO PACKAGE...
#
# Installs PACKAGE... with apt-get (through sudo when not root), updating the package lists
# and trying again when the first install fails; WHO names the script in the message. With
# no package it does nothing, so a caller passes only what is missing.
install_debian_packages() {
  local who=$1
  shift
  (($#)) || return 0
  echo "$who: installing $* (Debian packages)" >&2
  local sudo_=""
  [[ $(id -u) -eq 0 ]] || sudo_="sudo"
  $sudo_ apt-get install -y -qq "$@" >/dev/null ||
    { $sudo_ apt-get update -qq && $sudo_ apt-get install -y -qq "$@" >/dev/null; }
}
