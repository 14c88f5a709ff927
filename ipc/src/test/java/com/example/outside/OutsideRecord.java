package com.example.outside;

import java.io.Serializable;

/**
 * A record outside every allowed package: records are allowed anywhere.
 *
 * @param name any text
 */
public record OutsideRecord(String name) implements Serializable {}
