// placeholder: the CLI is assembled in tools/cli/
int main() { return 0; }
