"""The runner's own data: export it all, import it elsewhere, delete it all."""
