# Sourced by e2e/setup.sh. `npm test` and `npm start` run setup.sh as a child of npm on the
# machine's Node, and npm exports its own state to that child: npm_config_user_agent (which
# code-server's postinstall reads to decide which Node runs it), npm_node_execpath,
# npm_config_local_prefix (the outer project), npm_package_*, npm_lifecycle_*. An inner npm must
# not inherit any of it, or it installs for the wrong Node or into the wrong folder.
#
# without_outer_npm CMD [ARGS...] runs CMD with every npm_* variable removed except the ones a
# user sets to reach their registry (registry, TLS, proxy, auth); the inner npm reads the rest
# again from the npmrc files, as a fresh npm would.
without_outer_npm() {
  local unset_args=() name
  while IFS= read -r name; do
    case "$name" in
      npm_config_registry|npm_config_cafile|npm_config_ca|npm_config_strict_ssl|\
      npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_userconfig|\
      npm_config_globalconfig|npm_config_cache|npm_config__auth|npm_config_//*) ;;
      *) unset_args+=(-u "$name") ;;
    esac
  done < <(compgen -e | grep -E '^npm_' || true)
  env "${unset_args[@]}" "$@"
}
