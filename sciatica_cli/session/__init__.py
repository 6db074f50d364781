"""The guided session: the player on an injected clock, keys, sound, the screen and the runner."""
