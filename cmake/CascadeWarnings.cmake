# Warnings for the project's own targets: cascade_warnings(target)
function(cascade_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
endfunction()
