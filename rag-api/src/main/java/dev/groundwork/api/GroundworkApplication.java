package dev.groundwork.api;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Entry point of the Groundwork service. */
@SpringBootApplication
public class GroundworkApplication {

    public static void main(String[] args) {
        SpringApplication.run(GroundworkApplication.class, args);
    }
}
